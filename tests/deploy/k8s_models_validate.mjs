// Validate Prometheus Operator resources with @kubernetes-models (compiled JSON Schema
// validators of the CRDs). Usage: node k8s_models_validate.mjs <node dir> < docs.json
// (a JSON array of resources). Prints one JSON line per resource: {name, error|null}.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(process.argv[2], "node_modules", "@kubernetes-models", "prometheus-operator");
const docs = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const doc of docs) {
  const [group, version] = String(doc.apiVersion).split("/");
  const file = join(root, group, version, `${doc.kind}.js`);
  let error = null;
  try {
    const mod = await import(pathToFileURL(file).href);
    new mod[doc.kind](doc).validate();
  } catch (e) {
    error = String(e && e.message ? e.message : e);
    failed += 1;
  }
  console.log(JSON.stringify({ name: `${doc.kind}/${doc.metadata?.name}`, error }));
}
process.exit(failed ? 1 : 0);
