import { useEffect, useState, type ComponentType } from 'react';
import { api, insideApp, onEvent } from './api';
import { Logo, NavIcon } from './components/icons';
import { useResult } from './hooks';
import { routeFromHash, routes, type RouteId } from './routes';
import { Activity } from './pages/Activity';
import { Clients } from './pages/Clients';
import { Overview } from './pages/Overview';
import { Permissions } from './pages/Permissions';
import { Playground } from './pages/Playground';
import { Servers } from './pages/Servers';

const pages: Record<RouteId, ComponentType> = {
  overview: Overview,
  permissions: Permissions,
  servers: Servers,
  clients: Clients,
  activity: Activity,
  playground: Playground,
};

/** The window: a sidebar and the current page. */
export function App() {
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(location.hash));
  const { result: version } = useResult(api.version);

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    // The tray asks for a page ("Clients ▸ ...") through a backend event.
    const off = onEvent('navigate', (page) => {
      location.hash = `#/${routeFromHash(`#/${String(page)}`)}`;
    });
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, []);

  const Page = pages[route];
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <Logo size={30} />
          <div>
            <div className="brand-name">MCP Conductor</div>
            <div className="brand-sub">{version?.kind === 'ok' ? `v${version.value}` : 'Sandboxed code for AI agents'}</div>
          </div>
        </div>
        <ul>
          {routes.map((r) => (
            <li key={r.id}>
              <a
                href={`#/${r.id}`}
                className={r.id === route ? 'active' : undefined}
                aria-current={r.id === route ? 'page' : undefined}
              >
                <NavIcon name={r.id} />
                <span>{r.title}</span>
              </a>
            </li>
          ))}
        </ul>
        {!insideApp() && (
          <div className="sidebar-note">Preview outside the app: the backend is not connected.</div>
        )}
      </nav>
      <main className="content" data-page={route}>
        <Page />
      </main>
    </div>
  );
}
