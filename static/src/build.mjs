// Builds static/dist from static/src: compiles the Sass and copies the scripts.
import { compile } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "static", "dist");
mkdirSync(dist, { recursive: true });

const css = compile(join(root, "static", "src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "app.css"), css.css);

copyFileSync(join(root, "node_modules", "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
copyFileSync(join(root, "static", "src", "app.js"), join(dist, "app.js"));
console.log(`Built ${dist}`);
