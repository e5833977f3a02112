import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ComponentType } from 'react';
import { api, bound, insideApp, onEvent } from './api';
import { ApprovalDialog } from './components/Approval';
import { Confirm } from './components/forms';
import { Logo, NavIcon } from './components/icons';
import { UserHome } from './components/ui';
import { routeFromHash, routes, type RouteId } from './routes';
import { Activity } from './pages/Activity';
import { Skills } from './pages/Skills';
import { Clients } from './pages/Clients';
import { Overview } from './pages/Overview';
import { Permissions } from './pages/Permissions';
import { Playground } from './pages/Playground';
import { Servers } from './pages/Servers';
import { queries, useBackendEvents } from './queries';

const pages: Record<RouteId, ComponentType> = {
  overview: Overview,
  permissions: Permissions,
  servers: Servers,
  clients: Clients,
  skills: Skills,
  activity: Activity,
  playground: Playground,
};

/** The window: a sidebar and the current page. */
export function App() {
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(location.hash));
  const [quitting, setQuitting] = useState(false);
  const version = useQuery(queries.version);
  const userHome = useQuery(queries.userHome);
  useBackendEvents();
  const canQuit = bound('Quit');

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    // The tray asks for a page ("Clients ▸ ...") through a backend event.
    const off = onEvent('navigate', (page) => {
      location.hash = `#/${routeFromHash(`#/${String(page)}`)}`;
    });
    // Ctrl+Q quits, as in other desktop apps; Ctrl+1…6 switch pages.
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      if (e.key.toLowerCase() === 'q' && bound('Quit')) {
        e.preventDefault();
        setQuitting(true);
      }
      const n = Number(e.key);
      if (n >= 1 && n <= routes.length) {
        e.preventDefault();
        location.hash = `#/${routes[n - 1].id}`;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, []);

  // Each page starts at its top, and its heading has the focus for readers.
  useEffect(() => {
    document.querySelector('main')?.scrollTo(0, 0);
  }, [route]);

  const Page = pages[route];
  return (
    <UserHome.Provider value={userHome.data ?? ''}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <Logo size={30} />
            <div className="brand-text">
              <div className="brand-name">MCP Conductor</div>
              <div className="brand-sub">{version.data !== undefined ? `v${version.data}` : 'Sandboxed code for AI agents'}</div>
            </div>
          </div>
          <ul>
            {routes.map((r, i) => (
              <li key={r.id}>
                <a
                  href={`#/${r.id}`}
                  className={r.id === route ? 'active' : undefined}
                  aria-current={r.id === route ? 'page' : undefined}
                  title={`${r.title} (Ctrl+${i + 1})`}
                >
                  <NavIcon name={r.id} />
                  <span className="nav-label">{r.title}</span>
                </a>
              </li>
            ))}
          </ul>
          <div className="sidebar-foot">
            {!insideApp() && <div className="sidebar-note">Preview outside the app: the backend is not connected.</div>}
            {canQuit && (
              <button className="nav-button" onClick={() => setQuitting(true)} title="Quit MCP Conductor (Ctrl+Q)">
                <NavIcon name="quit" />
                <span className="nav-label">Quit</span>
              </button>
            )}
          </div>
        </nav>
        <main className="content" data-page={route}>
          <div className="page">
            <Page />
          </div>
        </main>
        <ApprovalDialog />
        {quitting && (
          <Confirm
            title="Quit MCP Conductor?"
            confirm="Quit"
            onCancel={() => setQuitting(false)}
            onConfirm={() => {
              setQuitting(false);
              void api.quit();
            }}
          >
            <p>
              The local endpoint stops, and so do the Playground's runs. AI clients that start MCP Conductor themselves
              (over stdio) keep working.
            </p>
          </Confirm>
        )}
      </div>
    </UserHome.Provider>
  );
}
