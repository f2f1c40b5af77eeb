import { CopyButton } from '../screens/sync/sender/CopyButton';
import { useT } from '../i18n';
import { formatFingerprint } from '../lib/identity-format';

/** This node's certificate identity: the node ID to read aloud and the fingerprint behind it. */
export function IdentityBlock({ nodeId, fingerprint, testId = 'identity' }: { nodeId: string; fingerprint: string; testId?: string }) {
  const t = useT();
  return (
    <dl className="kv identity" data-testid={testId}>
      <div>
        <dt>{t('id.nodeId')}</dt>
        <dd className="mono">
          <span data-testid={`${testId}-nodeid`}>{nodeId}</span> <CopyButton text={nodeId} />
        </dd>
      </div>
      <div>
        <dt>{t('id.fingerprint')}</dt>
        <dd className="mono small" data-testid={`${testId}-fingerprint`}>
          {formatFingerprint(fingerprint)}
        </dd>
      </div>
    </dl>
  );
}
