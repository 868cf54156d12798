import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import {
  currentRequest,
  installedWorkspaces,
  inWorkspace,
  NotInstalled,
  singleWorkspace,
} from '../../src/slack/workspace.js';

const token = (team: string) => ['xoxb', team, 'test'].join('-');

describe('the bot token for a workspace', () => {
  it('is the environment’s in single-workspace mode, with Bolt’s client', async () => {
    const client = new WebClient(token('one'));
    const access = singleWorkspace(token('one'), client);
    expect(await access.botToken({ teamId: 'TANY' })).toBe(token('one'));
    expect(await access.client({ teamId: 'TANY' })).toBe(client);
  });

  it('is the installation’s in OAuth mode, with a client naming the workspace, reused per token', async () => {
    const asked: unknown[] = [];
    const access = installedWorkspaces(async (query) => {
      asked.push(query);
      return { botToken: token(query.teamId ?? 'org') };
    }, {});
    expect(await access.botToken({ teamId: 'T1' })).toBe(token('T1'));
    const client = await access.client({ teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: true });
    expect(client.token).toBe(token('T2'));
    expect((client as unknown as { teamId: string }).teamId).toBe('T2');
    expect(await access.client({ teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: true })).toBe(client);
    expect(asked).toEqual([
      { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false },
      { teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: true },
      { teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: true },
    ]);
  });

  it('says NotInstalled, naming the workspace, when no installation serves it', async () => {
    const access = installedWorkspaces(async () => {
      throw new Error('no installation serves workspace T9');
    }, {});
    const error = await access.botToken({ teamId: 'T9', enterpriseId: 'E1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotInstalled);
    expect((error as Error).message).toBe('k8s-advisor is not installed in workspace T9 of org E1');
    const tokenless = installedWorkspaces(async () => ({}), {});
    await expect(tokenless.client({ teamId: 'T9' })).rejects.toBeInstanceOf(NotInstalled);
  });

  it('names the request being handled to code running on its behalf, and nothing outside one', async () => {
    expect(currentRequest()).toBeUndefined();
    const seen = await inWorkspace({ teamId: 'T1', botToken: token('T1') }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentRequest();
    });
    expect(seen).toEqual({ teamId: 'T1', botToken: token('T1') });
    expect(currentRequest()).toBeUndefined();
  });
});
