import { BackfillBarSchema } from '../../../preload/contract';
import type { TFunction } from '../i18n';

/** A bar code ('1H', '6Hutc') as the UI language says it (1 hour / 1小时); an unknown code stays as it is. */
export function barName(t: TFunction, bar: string): string {
  const parsed = BackfillBarSchema.safeParse(bar);
  return parsed.success ? t(`bar.${parsed.data}`) : bar;
}
