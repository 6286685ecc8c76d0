// Flat config: typescript-eslint (type-aware) and jsx-a11y for the screens.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "src/gen/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.js", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      "jsx-a11y": {
        // Preact's own attribute names for labels.
        attributes: { for: ["htmlFor", "for"] },
      },
    },
    rules: {
      // Nothing about citizens (nor tokens) may reach the browser's console.
      "no-console": "error",
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true },
      ],
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true },
      ],
    },
  },
  // Node scripts and the browser tests (web/e2e): plain ESM, not type-checked.
  {
    files: ["scripts/*.mjs", "e2e/**/*.mjs", "eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ["scripts/*.mjs", "e2e/**/*.mjs"],
    rules: { "no-console": "off" },
  },
  {
    // The browser tests are written by their own helper; an unused import
    // there should not stop the console's build.
    files: ["e2e/**/*.mjs"],
    rules: { "@typescript-eslint/no-unused-vars": "warn" },
  },
);
