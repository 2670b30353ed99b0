import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiProvider';
import { Session } from './api/session';
import { App } from './app/App';
import './styles.css';

const session = new Session();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider session={session}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
