import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FixtureCluster } from './fixtures.js';

/**
 * A local stand-in for a Kubernetes API server: plain node:http on 127.0.0.1 serving a fixture cluster for the
 * reads the evidence command makes, with bearer-token authentication, 403s on request, paging, and a record of
 * every request so a test can check that only gets and lists were made and no Secret was asked for.
 */
export interface FakeApiServerOptions {
  cluster: FixtureCluster;
  token: string;
  /** Resource names (clusterroles, roles, nodes, version, aws-auth, …) answered with 403 Forbidden. */
  forbid?: string[];
  /** Serve lists in pages of this size (with `continue`), whatever limit the client asks for. */
  pageSize?: number;
}

export interface FakeApiServer {
  url: string;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const RBAC = '/apis/rbac.authorization.k8s.io/v1/';
const LISTS: Record<string, keyof FixtureCluster> = {
  '/api/v1/nodes': 'nodes',
  [`${RBAC}clusterroles`]: 'clusterroles',
  [`${RBAC}clusterrolebindings`]: 'clusterrolebindings',
  [`${RBAC}roles`]: 'roles',
  [`${RBAC}rolebindings`]: 'rolebindings',
};

const status = (res: ServerResponse, code: number, reason: string, message: string) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    }),
  );
};

export function startFakeApiServer(o: FakeApiServerOptions): Promise<FakeApiServer> {
  const requests: { method: string; path: string }[] = [];
  const forbid = new Set(o.forbid ?? []);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname });
    if (req.headers.authorization !== `Bearer ${o.token}`)
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'read-only fake');
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/version') {
      if (forbid.has('version')) return status(res, 403, 'Forbidden', 'forbidden');
      return send(o.cluster.version);
    }
    if (url.pathname === '/api/v1/namespaces/kube-system/configmaps/aws-auth') {
      if (forbid.has('aws-auth')) return status(res, 403, 'Forbidden', 'configmaps "aws-auth" is forbidden');
      const cm = o.cluster.configmaps['kube-system/aws-auth'];
      return cm ? send(cm) : status(res, 404, 'NotFound', 'configmaps "aws-auth" not found');
    }
    const key = LISTS[url.pathname];
    if (!key) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    if (forbid.has(key))
      return status(
        res,
        403,
        'Forbidden',
        `${key} is forbidden: User "tester" cannot list resource "${key}"`,
      );
    const all = o.cluster[key] as unknown[];
    const start = Number(url.searchParams.get('continue') ?? '0');
    const asked = Number(url.searchParams.get('limit') ?? '0') || all.length;
    const size = Math.min(asked, o.pageSize ?? asked);
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : undefined;
    return send({
      kind: 'List',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1', ...(next && { continue: next }) },
      items: page,
    });
  };

  const server = createServer(handle);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * A kubeconfig for the fake server, signing in with a bearer token (made by the test at run time). The client
 * refuses plain HTTP unless TLS verification is off, so this test-only kubeconfig turns it off.
 */
export const kubeconfigYaml = (o: {
  server: string;
  context: string;
  user: string;
  token: string;
}) => `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${o.server}
    insecure-skip-tls-verify: true
contexts:
- name: ${JSON.stringify(o.context)}
  context:
    cluster: fake
    user: ${JSON.stringify(o.user)}
current-context: ${JSON.stringify(o.context)}
users:
- name: ${JSON.stringify(o.user)}
  user:
    token: ${o.token}
`;
