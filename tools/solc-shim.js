#!/usr/bin/env node
// Native-solc command line on top of solc-js (the official compiler built to WebAssembly).
// Speaks the two forms the Python and Foundry toolchains use:
//   solc --version
//   solc --standard-json [--base-path P] [--include-path P]... [--allow-paths ...]   (JSON on stdin)
// Imports are resolved against the base path, then each include path, then node_modules.
'use strict';
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const solc = require(path.join(repoRoot, 'node_modules', 'solc'));

function parseArgs(argv) {
  const opts = { standardJson: false, version: false, basePath: null, includePaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const takeValue = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      i += 1;
      return argv[i];
    };
    if (a === '--version') opts.version = true;
    else if (a === '--standard-json') opts.standardJson = true;
    else if (a.startsWith('--base-path')) opts.basePath = takeValue();
    else if (a.startsWith('--include-path')) opts.includePaths.push(takeValue());
    else if (a.startsWith('--allow-paths')) takeValue();
    else if (a === '--no-import-callback' || a === '--pretty-json') { /* accepted, no effect */ }
  }
  return opts;
}

function writeAndExit(text, code) {
  process.stdout.write(text, () => process.exit(code));
}

function makeImportCallback(opts) {
  const roots = [];
  if (opts.basePath) roots.push(path.resolve(opts.basePath));
  for (const p of opts.includePaths) roots.push(path.resolve(p));
  roots.push(process.cwd());
  roots.push(path.join(repoRoot, 'node_modules'));
  return (importPath) => {
    const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
    for (const c of candidates) {
      try {
        return { contents: fs.readFileSync(c, 'utf8') };
      } catch (_) { /* try the next root */ }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(', ')})` };
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.version) {
    const v = solc.version(); // e.g. 0.8.37+commit.abcdef12.Emscripten.clang
    writeAndExit(`solc, the solidity compiler commandline interface\nVersion: ${v}\n`, 0);
    return;
  }
  if (!opts.standardJson) {
    process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
    process.exit(2);
  }
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    const input = Buffer.concat(chunks).toString('utf8');
    let output;
    try {
      output = solc.compile(input, { import: makeImportCallback(opts) });
    } catch (e) {
      output = JSON.stringify({ errors: [{ severity: 'error', type: 'InternalError', formattedMessage: String(e), message: String(e) }] });
    }
    writeAndExit(output, 0);
  });
}

main();
