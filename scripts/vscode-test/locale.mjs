// Runs the VS Code server in another display language without a language pack from the marketplace (our
// machines cannot reach it). What decides the language in this host (code-server's VS Code 1.100.3, read from
// out/server-main.js): the web client server takes `--locale` (else argv.json, else "en"), then asks
// resolveNLSConfiguration, which only honours a locale listed in `<user-data-dir>/languagepacks.json` with a
// `translations.vscode` file. With no pack the workbench falls back to English and the extension host gets
// `vscode.env.language === 'en'` whatever --locale says. So this writes a minimal pack entry whose VS Code
// translations are empty: VS Code's own UI stays English, but the workbench, the extension host (env.language,
// vscode.l10n bundle) and the manifest (package.nls.<locale>.json) all run in `locale`.
// Written after VSIX installation: the server's language-pack cache rewrites languagepacks.json on install.
import fs from 'node:fs';
import path from 'node:path';

export function prepareLocale(dirs, locale) {
  const packDir = path.join(dirs.root, 'language-pack');
  fs.mkdirSync(packDir, { recursive: true });
  const translations = path.join(packDir, 'main.i18n.json');
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const entry = {
    [locale]: {
      hash: `seedance-test-${locale}`,
      // The workbench reads extensions[0].extensionIdentifier of every installed pack (and stops loading
      // extensions when it is missing), so the entry names a pack even though none is installed.
      extensions: [{ extensionIdentifier: { id: `seedance-tests.language-pack-${locale}` }, version: '0.0.0' }],
      translations: { vscode: translations },
      label: locale,
    },
  };
  fs.writeFileSync(path.join(dirs.userData, 'languagepacks.json'), JSON.stringify(entry, null, 2));
  return ['--locale', locale];
}
