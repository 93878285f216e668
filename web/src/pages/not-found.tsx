export function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        This address is not a console page. Go to <a href="/campaigns">Campaigns</a> or use the menu
        above.
      </p>
    </section>
  );
}
