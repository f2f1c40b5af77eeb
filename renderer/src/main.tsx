import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { initBridge } from './bridge';
import { NoTokenScreen } from './components/NoTokenScreen';
import { startSumPrefetch } from './screens/market/sum-prefetch';
import { startLiveState } from './state/live';
import './styles.css';

// The CSP forbids eval; tell zod up front instead of letting it probe `new Function` (a CSP report).
z.config({ jitless: true });

const root = createRoot(document.getElementById('root')!);
const bridge = initBridge();
if (bridge.ready) {
  startLiveState();
  startSumPrefetch();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  root.render(<NoTokenScreen rejected={false} />);
}
