// One lint configuration for every package. Type-aware rules (typescript-eslint) run on TypeScript; formatting is
// Prettier's job (npm run format:check), so no rule here concerns layout except the 120-column limit that Prettier
// cannot enforce on comments and strings. Module boundaries are dependency-cruiser's (.dependency-cruiser.cjs).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "apps/api/.test-dist-*/**",
      "**/data/**",
      "**/coverage/**",
      "**/test-output/**",
      "apps/nodered/sample-data/**",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.{js,cjs,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["apps/nodered/index.d.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    // The rules of hooks; the React Compiler's own diagnostics are left out because the app is not compiled with it.
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      // JSX event props take handlers that return a promise (react-hook-form's handleSubmit); React ignores it.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // In-process implementations of async contracts (the memory cache and queue, fakes) are async without awaiting,
      // so that a throw becomes a rejection like in the real client.
      "@typescript-eslint/require-await": "off",
      // React Router's loaders throw the Response of redirect() by design.
      "@typescript-eslint/only-throw-error": ["error", { allow: [{ from: "lib", name: "Response" }] }],
    },
  },
  {
    // Tests and the loopback fakes read JSON bodies of any shape and then assert on them; typing each one first (or a
    // cast before every assertion) adds noise, not safety. Production code keeps every rule.
    files: ["**/*.test.{ts,tsx}", "apps/api/test/**/*.ts", "apps/api/e2e/**/*.ts", "apps/web/src/testing/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    rules: {
      "max-len": [
        "error",
        {
          code: 120,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
);
