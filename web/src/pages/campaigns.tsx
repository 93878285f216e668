import { useState } from 'preact/hooks';
import { api } from '../session.ts';
import { describe, must, useLoad } from '../load.ts';
import {
  Badge,
  Empty,
  ErrorNote,
  Loading,
  PageTitle,
  Pager,
  Progress,
  count,
  nextPage,
  when,
} from '../ui.tsx';
import { CampaignControls } from './campaign-controls.tsx';

export function Campaigns() {
  const [archived, setArchived] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useLoad(
    () =>
      must(
        api().GET('/v1/campaigns', {
          params: {
            query: {
              limit: 50,
              archived: archived ? 'true' : 'false',
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [archived, cursor],
    { everyMs: 5_000 },
  );
  const [actionError, setActionError] = useState<string | null>(null);
  const campaigns = list.data?.campaigns ?? [];
  return (
    <section>
      <PageTitle
        actions={
          <a class="button" href="/campaigns/new">
            New campaign
          </a>
        }
      >
        Campaigns
      </PageTitle>
      <label class="inline">
        <input
          type="checkbox"
          checked={archived}
          onChange={(event) => {
            setArchived(event.currentTarget.checked);
            setCursor(null);
          }}
        />{' '}
        Show archived campaigns
      </label>
      <ErrorNote error={list.error} retry={list.reload} />
      <ErrorNote error={actionError} />
      {list.loading && list.data === undefined && <Loading what="campaigns" />}
      {list.data !== undefined && campaigns.length === 0 && (
        <Empty title={archived ? 'No archived campaigns' : 'No campaigns yet'}>
          {archived ? (
            'Campaigns you archive appear here.'
          ) : (
            <>
              Upload an <a href="/audiences">audience</a>, set up a <a href="/pools">pool</a> of
              numbers, then <a href="/campaigns/new">create a campaign</a>.
            </>
          )}
        </Empty>
      )}
      {campaigns.length > 0 && (
        <div class="table-wrap">
          <table data-testid="campaign-list">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Audience</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((campaign) => (
                <tr key={campaign.id}>
                  <td>
                    <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>
                  </td>
                  <td>
                    <Badge value={campaign.status} />
                  </td>
                  <td class="progress-cell">
                    <Progress
                      value={campaign.progress.sent}
                      max={campaign.progress.targeted}
                      label={`${campaign.name}: sent`}
                    />
                    <span class="muted">
                      {count(campaign.progress.sent)} / {count(campaign.progress.targeted)} sent
                    </span>
                  </td>
                  <td>{campaign.audience?.name ?? '—'}</td>
                  <td>{when(campaign.created_at)}</td>
                  <td>
                    <CampaignControls
                      id={campaign.id}
                      name={campaign.name}
                      status={campaign.status}
                      onDone={list.reload}
                      onError={(error) => setActionError(error === null ? null : describe(error))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        back={cursor === null ? null : { label: 'First page', go: () => setCursor(null) }}
        onNext={nextPage(list.data?.next_cursor, setCursor)}
      />
    </section>
  );
}
