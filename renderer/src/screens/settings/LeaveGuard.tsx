import { useEffect, useRef, useState } from 'react';
import { getApi } from '../../bridge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n';

/** Where the user wanted to go, and how: a link click, or the browser's Back / Forward. */
interface Pending {
  href: string;
  viaHistory: boolean;
}

/**
 * Holds navigation while the form has unsaved changes and asks first — stay, or discard the
 * changes and go:
 * - a click on a `#/…` link (sidebar, tabs); links to this same route pass;
 * - the browser's Back or Forward button: the browser has already moved when it says so, so the
 *   Settings entry is put back at once and "discard" then goes back for real;
 * - in a browser (headless), a reload or leaving the page altogether gets the browser's own
 *   question. Not in Electron, where that event would silently keep the window from closing.
 */
export function LeaveGuard({ unsaved }: { unsaved: number }) {
  const t = useT();
  const [pending, setPending] = useState<Pending | null>(null);
  // Set by "discard": the navigation that follows must pass.
  const leaving = useRef(false);

  useEffect(() => {
    if (unsaved === 0) return;
    const here = window.location.hash;
    const onClick = (e: MouseEvent) => {
      if (leaving.current || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest('a[href^="#/"]') : null;
      const href = link?.getAttribute('href');
      if (!href || href === window.location.hash) return;
      e.preventDefault();
      setPending({ href, viaHistory: false });
    };
    // popstate comes before hashchange (which the router follows): with Settings' entry pushed
    // back here, the router never sees the move.
    const onPop = () => {
      const to = window.location.hash;
      if (leaving.current || to === here) return;
      window.history.pushState(null, '', here);
      setPending({ href: to, viaHistory: true });
    };
    const onUnload = (e: BeforeUnloadEvent) => {
      if (leaving.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    const inBrowser = getApi().transport === 'http';
    // Capture phase: the question comes before the link's own navigation.
    document.addEventListener('click', onClick, true);
    window.addEventListener('popstate', onPop);
    if (inBrowser) window.addEventListener('beforeunload', onUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('beforeunload', onUnload);
    };
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
        leaving.current = true;
        // Back / Forward: the entry the browser was going to is one step back from the one pushed.
        if (pending.viaHistory) window.history.back();
        else window.location.hash = pending.href;
      }}
    >
      {t('settings.leave.body', { n: unsaved })}
    </ConfirmDialog>
  );
}
