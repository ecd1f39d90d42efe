// ESLint 9 flat config for the whole monorepo: typescript-eslint's type-aware recommended rules
// (recommendedTypeChecked). Each package runs `eslint .` from its own folder (`npm run lint` at
// the root runs them all through turbo); the type information comes from the tsconfig.json
// nearest to each file (projectService). Formatting is Prettier's job, not ESLint's.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/.next/**", "**/generated/**", "**/next-env.d.ts", "test-output/**", "data/**", ".ci/**", ".turbo/**"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Async methods that implement a Promise-returning interface (Apollo plugin hooks, a
      // model's fit, an async iterator's return) without awaiting anything are deliberate.
      "@typescript-eslint/require-await": "off",
      // graphql-js's OperationTypeNode and Prisma's enums are string enums, compared with their
      // literal values ("query", "ALS") as those libraries document.
      "@typescript-eslint/no-unsafe-enum-comparison": "off",
      // `_`-prefixed names are deliberate placeholders (unused parameters, skipped tuple slots).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read untyped JSON (GraphQL and HTTP response bodies, parsed exports) and hand methods
    // to expect(); the no-unsafe-* rules and unbound-method flag those by the hundred there, and
    // a wrong guess in a test fails the test anyway. Production code keeps every one of them.
    files: ["**/*.test.ts", "**/*.test.tsx", "test/**/*.ts", "**/bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Plain JavaScript (bin entries, worker entries, build scripts): no type information to use.
    files: ["**/*.mjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { console: "readonly", process: "readonly", URL: "readonly", performance: "readonly", setTimeout: "readonly" },
    },
  },
);
