import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../../../i18n';

/** A modal question (native <dialog>, so focus and Escape behave); Escape or Cancel answer no. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
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
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2>{props.title}</h2>
      <div className="confirm-body">{props.children}</div>
      <div className="confirm-actions">
        <button type="button" onClick={props.onCancel} data-testid="confirm-cancel">
          {t('snd.cancel')}
        </button>
        <button type="button" className="danger" onClick={props.onConfirm} data-testid="confirm-ok">
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
