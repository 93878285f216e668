import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useMemo } from 'preact/hooks';
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

/**
 * Moves focus to the new page's heading once the router has rendered it (not on the first
 * page), so keyboard and screen-reader users follow a navigation: the next Tab starts in the page.
 */
function focusHeadingAfterNavigation(): (url: string) => void {
  let first = true;
  return () => {
    if (first) {
      first = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  };
}

function Shell() {
  const onRouteChange = useMemo(focusHeadingAfterNavigation, []);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Nav />
      <main id="main">
        <ErrorBoundary>
          <Router onRouteChange={onRouteChange}>
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
