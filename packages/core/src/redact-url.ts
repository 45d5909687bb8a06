const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A URL safe for messages and logs: the password in its authority becomes `***` (a lone
 * credential, as in `redis://secret@host`, too); user name, host, port and path stay so the
 * reader can still tell which server was meant. Never throws, whatever the input.
 */
export function redactUrl(url: string): string {
  const scheme = SCHEME.exec(url)?.[0];
  if (scheme === undefined) return url;
  const rest = url.slice(scheme.length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at === -1) return url;
  const credentials = authority.slice(0, at);
  const colon = credentials.indexOf(':');
  const shown = colon === -1 ? '***' : `${credentials.slice(0, colon)}:***`;
  return `${scheme}${shown}${rest.slice(at)}`;
}
