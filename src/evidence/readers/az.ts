import { type AksView, type Gap, LIMITS } from '../schema.js';
import { at, bool, type CliRunner, str, strings } from './exec.js';

/**
 * The AKS view, read with the Azure CLI: disableLocalAccounts, the Microsoft Entra ID profile (managed, Azure
 * RBAC, admin groups) from `az aks show`, and whether a diagnostic setting sends the kube-audit or
 * kube-audit-admin log categories (`az monitor diagnostic-settings list`).
 */
const AUDIT_CATEGORIES = ['kube-audit', 'kube-audit-admin'];

export function auditEnabled(settings: unknown): boolean {
  const list = Array.isArray(settings) ? settings : at(settings, 'value');
  if (!Array.isArray(list)) return false;
  return list.some((s) => {
    const logs = at(s, 'logs');
    return (
      Array.isArray(logs) &&
      logs.some(
        (l) =>
          at(l, 'enabled') === true &&
          (AUDIT_CATEGORIES.includes(String(at(l, 'category'))) ||
            ['audit', 'allLogs'].includes(String(at(l, 'categoryGroup')))),
      )
    );
  });
}

export async function readAks(
  run: CliRunner,
  target: { name: string; resourceGroup: string; subscription?: string },
  gaps: Gap[],
): Promise<AksView | null> {
  const sub = target.subscription ? ['--subscription', target.subscription] : [];
  const shown = await run('az', [
    'aks',
    'show',
    '--name',
    target.name,
    '--resource-group',
    target.resourceGroup,
    '--output',
    'json',
    ...sub,
  ]);
  if (!shown.ok) {
    gaps.push({ what: 'AKS cluster settings (az aks show)', why: shown.why });
    return null;
  }
  const c = shown.json;
  const aad = at(c, 'aadProfile');
  const view: AksView = {
    disableLocalAccounts: bool(at(c, 'disableLocalAccounts')) ?? false,
    entraId: aad !== undefined && aad !== null,
    azureRbac: bool(at(aad, 'enableAzureRbac')),
    adminGroups: strings(at(aad, 'adminGroupObjectIDs'), LIMITS.groups),
    auditLogging: null,
  };
  const id = str(at(c, 'id'), 1000);
  if (!id) {
    gaps.push({ what: 'AKS diagnostic settings', why: 'az aks show gave no resource id' });
    return view;
  }
  const diag = await run('az', [
    'monitor',
    'diagnostic-settings',
    'list',
    '--resource',
    id,
    '--output',
    'json',
    ...sub,
  ]);
  if (!diag.ok) {
    gaps.push({ what: 'AKS diagnostic settings (az monitor diagnostic-settings list)', why: diag.why });
    return view;
  }
  return { ...view, auditLogging: auditEnabled(diag.json) };
}
