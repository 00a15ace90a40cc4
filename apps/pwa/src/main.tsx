import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { ApiError } from '../../../libs/web-client/src';
import { App } from './App';
import { I18nProvider, type Lang } from './i18n';
import { registerWorker } from './push';
import { shareWithWorker } from './resident';
import { adoptWorkerVisitor } from './visitor';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // a refusal (4xx) will not change by asking again; a network or server failure might
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
      // what was shown stays shown while a refresh fails (a poor connection after an earthquake)
      staleTime: 30_000,
    },
  },
});

// the worker is what keeps the app and its last data usable offline: registered at every start
void registerWorker().catch(() => undefined);
void adoptWorkerVisitor().catch(() => undefined);
// a push arrived while the app is open: what it shows is out of date
navigator.serviceWorker?.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
  if (event.data?.type === 'alert') void queries.invalidateQueries();
});

const languageToWorker = (lang: Lang) => void shareWithWorker({ lang }).catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <I18nProvider onChange={languageToWorker}>
      <QueryClientProvider client={queries}>
        {/* a hash router: every screen is /app/ for the server and the worker; QR codes use /app/#/… */}
        <HashRouter>
          <App />
        </HashRouter>
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
