import { useEffect, useRef, useState } from 'react';
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
    <LeaveDialog
      unsaved={unsaved}
      title={t('settings.leave.title')}
      onStay={() => setPending(null)}
      onDiscard={() => {
        setPending(null);
        window.location.hash = pending;
      }}
    />
  );
}

function LeaveDialog(props: { unsaved: number; title: string; onStay: () => void; onDiscard: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      data-testid="settings-leave-dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onStay();
      }}
    >
      <h2>{props.title}</h2>
      <div className="confirm-body">{t('settings.leave.body', { n: props.unsaved })}</div>
      <div className="confirm-actions">
        <button type="button" className="primary" onClick={props.onStay} data-testid="settings-leave-stay">
          {t('settings.leave.stay')}
        </button>
        <button type="button" className="danger" onClick={props.onDiscard} data-testid="settings-leave-discard">
          {t('settings.leave.discard')}
        </button>
      </div>
    </dialog>
  );
}
