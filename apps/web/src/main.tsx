import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiProvider';
import { Session } from './api/session';
import { App } from './app/App';
import './styles.css';

const session = new Session();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no element with id "root" to render into');

createRoot(root).render(
  <StrictMode>
    <ApiProvider session={session}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
