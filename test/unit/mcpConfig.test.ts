// "Seedance: Connect an Agent...": the entry merged into a person's MCP configuration, nothing else touched.
import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { mergeServerEntry, serverEntry } from '../../src/core/agentJobs/mcpConfig';

describe('MCP configuration for agents', () => {
  const entry = serverEntry('claude', '/home/me/.storage/mcp/seedance-mcp.js', '/work/film');

  it('refers to the key by the client\'s variable syntax, never its value', () => {
    assert.deepEqual(entry.env, { COMETAPI_KEY: '${COMETAPI_KEY}' });
    assert.deepEqual(serverEntry('cursor', '/s.js', '/w').env, { COMETAPI_KEY: '${env:COMETAPI_KEY}' });
    assert.deepEqual(entry.args, ['/home/me/.storage/mcp/seedance-mcp.js', '--workspace', '/work/film']);
  });

  it('a new file gets just our server', () => {
    const merged = mergeServerEntry('', entry);
    assert.ok(merged.ok);
    assert.deepEqual(parse(merged.text), { mcpServers: { seedance: entry } });
  });

  it('keeps the person\'s other servers, comments and formatting, and replaces only our entry', () => {
    const text = '{\n  // my servers\n  "mcpServers": {\n    "other": { "command": "x" },\n    "seedance": { "command": "old" }\n  },\n  "keep": [1,2,3]\n}\n';
    const merged = mergeServerEntry(text, entry);
    assert.ok(merged.ok);
    assert.match(merged.text, /\/\/ my servers/);
    assert.match(merged.text, /"keep": \[1,2,3\]/);
    assert.match(merged.text, /"other": \{ "command": "x" \}/);
    const parsed = parse(merged.text) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(parsed.mcpServers.seedance, entry);
    assert.deepEqual(Object.keys(parsed.mcpServers), ['other', 'seedance']);
  });

  it('refuses a file it cannot read as an object, rather than rewriting it', () => {
    assert.deepEqual(mergeServerEntry('{ "mcpServers": ', entry), { ok: false, problem: 'it is not valid JSON' });
    assert.deepEqual(mergeServerEntry('[1]', entry), { ok: false, problem: 'it is not a JSON object' });
    assert.deepEqual(mergeServerEntry('{"mcpServers": 3}', entry), { ok: false, problem: '"mcpServers" is not an object' });
  });
});
