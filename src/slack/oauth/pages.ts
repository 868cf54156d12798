import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackOptions, CodedError, Installation } from '@slack/oauth';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><main><h1>${title}</h1>${body}</main></body></html>`,
  );
}

/** Why an install failed, in the installer's terms, with the HTTP status that fits. */
function explain(error: CodedError): { status: number; text: string } {
  switch (error.code) {
    case 'slack_oauth_invalid_state':
    case 'slack_oauth_missing_state':
      return {
        status: 400,
        text: 'This install link has expired, was already used, or was opened in another browser. Nothing was installed.',
      };
    case 'slack_oauth_missing_code':
      return { status: 400, text: 'Slack sent no authorization code. Nothing was installed.' };
    case 'slack_oauth_installer_authorization_error':
      return { status: 200, text: 'The installation was cancelled. Nothing was installed.' };
    default:
      return { status: 502, text: 'Slack did not complete the installation. Nothing was installed.' };
  }
}

/** What the browser sees at the end of an install, in our words; names from Slack are escaped. */
export function installPages(installPath: string): CallbackOptions {
  const again = `<p><a href="${escapeHtml(installPath)}">Start the installation again</a>.</p>`;
  return {
    success: (installation: Installation, _options, _req: IncomingMessage, res: ServerResponse) => {
      const where = installation.isEnterpriseInstall
        ? `every workspace of ${installation.enterprise?.name ?? 'your organisation'}`
        : (installation.team?.name ?? 'your workspace');
      page(
        res,
        200,
        'k8s-advisor is installed',
        `<p>It is ready in ${escapeHtml(where)}. Invite it to a channel with <code>/invite @k8s-advisor</code>, ` +
          'then type <code>/k8s-advisor</code> there to start an assessment.</p>',
      );
    },
    failure: (error: CodedError, _options, _req: IncomingMessage, res: ServerResponse) => {
      const { status, text } = explain(error);
      page(res, status, 'k8s-advisor was not installed', `<p>${escapeHtml(text)}</p>${again}`);
    },
  };
}

/** The install link could not be made (a broken configuration): said plainly, without details. */
export const installUnavailable = (res: ServerResponse) =>
  page(
    res,
    500,
    'Installation unavailable',
    '<p>The install link could not be made; the app log says why.</p>',
  );
