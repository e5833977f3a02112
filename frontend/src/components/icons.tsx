// Line icons for the sidebar, drawn on a 24×24 grid.
const paths: Record<string, string> = {
  overview: 'M4 13h6V4H4zm0 7h6v-4H4zm10 0h6v-9h-6zm0-16v4h6V4z',
  permissions: 'M12 3l7 3v5c0 4.5-3 8.5-7 10-4-1.5-7-5.5-7-10V6zm-3 9l2 2 4-4',
  servers: 'M4 5h16v5H4zm0 9h16v5H4zM7 7.5h.01M7 16.5h.01',
  clients: 'M4 5h16v11H4zm5 15h6m-3-4v4',
  skills: 'M6 4h9l3 3v13H6zm8 0v4h4M9 12h6m-6 4h6',
  activity: 'M3 12h4l3-7 4 14 3-7h4',
  playground: 'M8 8l-4 4 4 4m8-8l4 4-4 4m-6 2l2-12',
  quit: 'M12 3v8M7.05 6.05a7 7 0 1 0 9.9 0',
};

/** A sidebar icon by page id (and quit). */
export function NavIcon(props: { name: string }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden>
      <path
        d={paths[props.name] ?? ''}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.7"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The app's mark: the same hub and satellites as the app icon. */
export function Logo(props: { size?: number }) {
  const s = props.size ?? 28;
  return (
    <svg viewBox="0 0 100 100" width={s} height={s} aria-hidden>
      <defs>
        <linearGradient id="logo-grad" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#4f46e5" />
          <stop offset="1" stopColor="#7c3aed" />
        </linearGradient>
      </defs>
      <rect x="4" y="4" width="92" height="92" rx="22.5" fill="url(#logo-grad)" />
      <g stroke="#fff" strokeWidth="5" strokeLinecap="round">
        <line x1="50" y1="52" x2="27.9" y2="39.3" />
        <line x1="50" y1="52" x2="72.1" y2="39.3" />
        <line x1="50" y1="52" x2="50" y2="77.5" />
      </g>
      <g fill="#fff">
        <circle cx="50" cy="52" r="11.5" />
        <circle cx="27.9" cy="39.3" r="8" />
        <circle cx="72.1" cy="39.3" r="8" />
        <circle cx="50" cy="77.5" r="8" />
      </g>
    </svg>
  );
}
