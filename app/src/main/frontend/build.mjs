// Builds the softphone and the console into the app's static resources: the page, its stylesheet and one IIFE bundle holding
// JsSIP (which ships no browser bundle of its own). Spring Boot serves classpath:static/ at the site root, so
// <out>/softphone/index.html becomes http://host:8080/softphone/index.html, and <out>/index.html (Spring Boot's
// welcome page for "/") sends agents there. Spring serves no index.html for sub-folders by itself: /softphone/
// alone needs a forward in the app.
//
// Usage: node build.mjs [outDir]   (default: the Maven output directory, ../../../target/classes/static)
import * as esbuild from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? process.env.SOFTPHONE_OUT_DIR ?? join(here, '../../../target/classes/static'));
const pageDir = join(outDir, 'softphone');
await mkdir(pageDir, { recursive: true });

/** One page's IIFE bundle: agents and managers use current Chrome, Edge or Firefox, nothing older has WebRTC. */
const bundle = (entry, outfile) => esbuild.build({
  entryPoints: [join(here, entry)],
  outfile,
  bundle: true,
  format: 'iife',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});

const result = await bundle('src/main.js', join(pageDir, 'softphone.js'));
// The console (managers, administrators): its own page and bundle, sharing the REST client and the roles.
const consoleDir = join(outDir, 'console');
await mkdir(consoleDir, { recursive: true });
const consoleResult = await bundle('src/console/main.js', join(consoleDir, 'console.js'));
await copyFile(join(here, 'src/console/index.html'), join(consoleDir, 'index.html'));
await copyFile(join(here, 'src/console/console.css'), join(consoleDir, 'console.css'));

await copyFile(join(here, 'src/index.html'), join(pageDir, 'index.html'));
await copyFile(join(here, 'src/softphone.css'), join(pageDir, 'softphone.css'));
await writeFile(join(outDir, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Call center</title>
<meta http-equiv="refresh" content="0; url=/softphone/index.html"></head>
<body><a href="/softphone/index.html">Softphone</a></body></html>
`);

const kib = (r) => Math.round(Object.values(r.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0) / 1024);
console.log(`softphone: built into ${pageDir} (${kib(result)} KiB); console into ${consoleDir} (${kib(consoleResult)} KiB)`);
