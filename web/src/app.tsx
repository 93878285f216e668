import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useRef } from 'preact/hooks';
import { signOut, useSession } from './session.ts';
import { SignIn } from './pages/sign-in.tsx';
import { Campaigns } from './pages/campaigns.tsx';
import { CampaignNew } from './pages/campaign-new.tsx';
import { CampaignPage } from './pages/campaign.tsx';
import { Audiences } from './pages/audiences.tsx';
import { Pools } from './pages/pools.tsx';
import { PoolPage } from './pages/pool.tsx';
import { Inbox } from './pages/inbox.tsx';
import { NotFound } from './pages/not-found.tsx';

const NAV = [
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/audiences', label: 'Audiences' },
  { href: '/pools', label: 'Pools' },
  { href: '/inbox', label: 'Inbox' },
] as const;

function Nav() {
  const { path } = useLocation();
  return (
    <header class="top">
      <a class="brand" href="/campaigns">
        tandem
      </a>
      <nav aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.href}>
              <a
                href={item.href}
                aria-current={
                  path === item.href || path.startsWith(`${item.href}/`) ? 'page' : undefined
                }
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" class="quiet" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}

/** Moves focus to the page's heading on navigation, so keyboard and screen-reader users follow. */
function FocusMain({ path }: { path: string }) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);
  return null;
}

function Shell() {
  const { path } = useLocation();
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Nav />
      <FocusMain path={path} />
      <main id="main">
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Campaigns} />
            <Route path="/campaigns" component={Campaigns} />
            <Route path="/campaigns/new" component={CampaignNew} />
            <Route path="/campaigns/:id" component={CampaignPage} />
            <Route path="/audiences" component={Audiences} />
            <Route path="/pools" component={Pools} />
            <Route path="/pools/:id" component={PoolPage} />
            <Route path="/inbox" component={Inbox} />
            <Route path="/inbox/:contact" component={Inbox} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </>
  );
}

export function App() {
  const session = useSession();
  return (
    <LocationProvider>
      {session.client === null ? <SignIn notice={session.notice} /> : <Shell />}
    </LocationProvider>
  );
}
