/**
 * Shapes of credentials that must never be written to an evidence file nor accepted in one: a bearer token or
 * JWT, a PEM block, an AWS access key id, Slack and GitHub tokens, a kubeadm bootstrap token. The collector
 * never reads Secrets or credentials, so a match means something leaked in and the file is refused.
 * Each pattern is linear: fixed prefixes and single character classes, no nested repetition.
 */
const PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['a JSON Web Token', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/],
  ['a PEM block (certificate or key)', /-----BEGIN [A-Z ]{0,40}-----/],
  ['an AWS access key id', /(?:AKIA|ASIA)[A-Z0-9]{16}/],
  ['a Slack token', /xox[abpors]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}/],
  ['a GitHub token', /gh[pousr]_[A-Za-z0-9]{30,}/],
  ['a Kubernetes bootstrap token', /(?<![a-z0-9])[a-z0-9]{6}\.[a-z0-9]{16}(?![a-z0-9])/],
];

/** What kind of credential the text looks like it holds, or null. */
export function secretShape(text: string): string | null {
  for (const [name, pattern] of PATTERNS) if (pattern.test(text)) return name;
  return null;
}

/** The text with anything credential-shaped replaced: for CLI error output we pass on in a gap. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [, pattern] of PATTERNS) out = out.replace(new RegExp(pattern.source, 'g'), '[redacted]');
  return out;
}
