// Parses the subject alternative names as Node prints them (X509Certificate.subjectAltName and
// PeerCertificate.subjectaltname): "DNS:a, IP Address:127.0.0.1, URI:urn:x". Node quotes a value as a
// JSON string when it contains a separator or a quote, so a plain split on ", " is not enough.

export interface AltName {
  /** "DNS", "IP Address", "URI", "email", ... as Node prints it. */
  type: string;
  value: string;
}

/** The entries of a printed SAN list, or null when the text is not in Node's format. */
export function parseSubjectAltNames(text: string): AltName[] | null {
  const names: AltName[] = [];
  let pos = 0;
  while (pos < text.length) {
    const colon = text.indexOf(':', pos);
    if (colon < 0) return null;
    const type = text.slice(pos, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      const end = closingQuote(text, colon + 2);
      if (end < 0) return null;
      try {
        value = JSON.parse(text.slice(colon + 1, end + 1)) as string;
      } catch {
        return null;
      }
      next = end + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      next = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    names.push({ type, value });
    if (next === text.length) break;
    if (text.slice(next, next + 2) !== ', ') return null;
    pos = next + 2;
  }
  return names;
}

/** Index of the quote that closes a JSON string whose body starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
