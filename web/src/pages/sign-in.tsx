import { useState } from 'preact/hooks';
import { signIn } from '../session.ts';

export function SignIn({ notice }: { notice: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const failure = await signIn(key);
    setBusy(false);
    if (failure !== null) setError(failure);
  };
  return (
    <main id="main" class="sign-in">
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <h1>Sign in to tandem</h1>
        {notice !== null && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <p id="sign-in-help" class="hint">
          The key stays in this tab's memory only: reloading or closing the tab signs you out.
        </p>
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
