const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SECRET_PARAM = /([?&](?:password|pass|pwd|auth|token)=)[^&#]*/gi;

/**
 * A URL safe for messages and logs, also when it is malformed. Everything before the last `@`
 * (the credentials, even when the password holds `@` or `/`, and with or without a scheme)
 * becomes `user:***` — or `***` when there is no clean user name — and `password=`-style query
 * values become `***`. Host, port and path stay so the reader can tell which server was meant.
 * Never throws.
 */
export function redactUrl(url: string): string {
  const scheme = SCHEME.exec(url)?.[0] ?? '';
  const at = url.lastIndexOf('@');
  let out = url;
  if (at >= scheme.length) {
    const credentials = url.slice(scheme.length, at);
    const colon = credentials.indexOf(':');
    const user = colon > 0 && !/[/?#]/.test(credentials.slice(0, colon)) ? `${credentials.slice(0, colon)}:` : '';
    out = `${scheme}${user}***${url.slice(at)}`;
  }
  return out.replace(SECRET_PARAM, '$1***');
}
