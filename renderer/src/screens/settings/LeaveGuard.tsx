import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n';

/**
 * Holds in-app navigation while the form has unsaved changes: a click on a `#/…` link (sidebar,
 * tabs) opens a question — stay, or discard the changes and go. Links to this same route pass.
 */
export function LeaveGuard({ unsaved }: { unsaved: number }) {
  const t = useT();
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => {
    if (unsaved === 0) return;
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest('a[href^="#/"]') : null;
      const href = link?.getAttribute('href');
      if (!href || href === window.location.hash) return;
      e.preventDefault();
      setPending(href);
    };
    // Capture phase: the question comes before the link's own navigation.
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [unsaved]);

  if (pending === null) return null;
  return (
    <ConfirmDialog
      title={t('settings.leave.title')}
      testId="settings-leave-dialog"
      cancelLabel={t('settings.leave.stay')}
      cancelIsPrimary
      confirmLabel={t('settings.leave.discard')}
      buttonTestIds={{ cancel: 'settings-leave-stay', confirm: 'settings-leave-discard' }}
      onCancel={() => setPending(null)}
      onConfirm={() => {
        setPending(null);
        window.location.hash = pending;
      }}
    >
      {t('settings.leave.body', { n: unsaved })}
    </ConfirmDialog>
  );
}
