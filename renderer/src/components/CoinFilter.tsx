import { useT } from '../i18n';

/**
 * The words of a coin filter ("btc, eth sol" → BTC ETH SOL). A coin passes when any word is part
 * of its symbol; no words means every coin passes.
 */
export function coinWords(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[\s,，、]+/)
    .filter(Boolean);
}

export function coinMatches(words: readonly string[], coin: string): boolean {
  return words.length === 0 || words.some((w) => coin.includes(w));
}

/** The coin filter box every data table shows above it. */
export function CoinFilter({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }) {
  const t = useT();
  return (
    <input
      type="search"
      className="coin-filter"
      aria-label={t('table.coinFilter')}
      placeholder={t('table.coinFilterPlaceholder')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  );
}
