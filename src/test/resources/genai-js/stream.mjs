// Drives the @google/genai SDK that Gemini CLI ships (bundled into its own files, so it is loaded from
// there: the chunk that defines GoogleGenAI is copied with its relative imports made absolute and the
// class exported). Usage: node stream.mjs BUNDLE_DIR WORK_DIR BASE_URL API_KEY API_VERSION MODEL [stream|once]
// Prints one JSON line: {"outcome":"finished"|"threw", "text", "name", "status", "message"}.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundleDir, workDir, baseUrl, apiKey, apiVersion, model, mode = 'stream'] = process.argv.slice(2);

function loadSdkSource() {
  for (const name of readdirSync(bundleDir)) {
    if (!name.endsWith('.js')) continue;
    const text = readFileSync(join(bundleDir, name), 'utf8');
    if (text.includes('\nvar GoogleGenAI = class {')) return text;
  }
  throw new Error('no file in ' + bundleDir + ' defines GoogleGenAI');
}

const base = pathToFileURL(bundleDir + '/').href;
const source = loadSdkSource()
  .replace(/(from\s*|import\()"\.\//g, (_, head) => head + '"' + base)
  + '\nexport { GoogleGenAI as JunctionTestGoogleGenAI };\n';
const copy = join(workDir, 'genai-sdk.mjs');
writeFileSync(copy, source);
const { JunctionTestGoogleGenAI: GoogleGenAI } = await import(pathToFileURL(copy).href);

const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl, apiVersion } });
let text = '';
try {
  if (mode === 'stream') {
    const stream = await ai.models.generateContentStream({ model, contents: 'Say hello' });
    for await (const chunk of stream) {
      text += chunk.text ?? '';
    }
  } else {
    text = (await ai.models.generateContent({ model, contents: 'Say hello' })).text ?? '';
  }
  console.log(JSON.stringify({ outcome: 'finished', text }));
} catch (e) {
  console.log(JSON.stringify({ outcome: 'threw', text, name: e?.name, status: e?.status, message: String(e?.message) }));
}
