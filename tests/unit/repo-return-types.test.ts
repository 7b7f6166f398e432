/**
 * No repo function returns `any` (#27, CONVENTIONS 14): a repo is where rows get their types, and an
 * `any` there spreads silently through services and presenters. This reads every exported function of
 * server/src/**\/*.repo.ts with the TypeScript compiler API and fails when its return type is `any`,
 * `any[]`, `Promise<any>`, `Promise<any[]>` or a `Promise<any | undefined>`.
 *
 * KNOWN lists the offenders left when the check landed — a ratchet: a new `any` fails, and so does
 * fixing one without taking it off the list, so the list only shrinks. It is empty now (every repo
 * function has its row type) and is kept so that an exception would have to be written down here.
 */
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

const KNOWN = new Set<string>([
  // 57 on 2026-12-07, the figure the #27 review measured; admin.repo's and org.repo's typed first, the last 41 since:
  // none left. The ratchet stays: a repo function that returns `any` again fails here.
]);

function anyReturningRepoFunctions(): string[] {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, (f) => ts.sys.readFile(f)).config, ts.sys, ROOT);
  const repoFiles = parsed.fileNames.filter((f) => /server\/src\/.*\.repo\.ts$/.test(f));
  const program = ts.createProgram(repoFiles, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  // what the caller gets after `await` (a Promise, or a knex builder, which is a thenable)
  const isAnyish = (t: ts.Type, depth = 0): boolean => {
    if (depth > 4) return false;
    if (t.flags & ts.TypeFlags.Any) return true;
    if (t.isUnion()) return t.types.some((u) => isAnyish(u, depth + 1));
    if (checker.isArrayType(t)) return isAnyish(checker.getTypeArguments(t as ts.TypeReference)[0]!, depth + 1);
    if (checker.getPropertyOfType(t, 'then')) {
      const awaited = checker.getAwaitedType(t);
      return !!awaited && awaited !== t && isAnyish(awaited, depth + 1);
    }
    return false;
  };
  const out: string[] = [];
  for (const file of repoFiles) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const decl = exp.valueDeclaration;
      // re-exports are judged in the module that declares them
      if (!decl || decl.getSourceFile() !== sf) continue;
      const type = checker.getTypeOfSymbolAtLocation(exp, decl);
      for (const sig of type.getCallSignatures()) {
        if (isAnyish(sig.getReturnType())) out.push(`${path.relative(ROOT, file)}#${exp.name}`);
      }
    }
  }
  return [...new Set(out)].sort();
}

test('no repo function returns any (except the known ones, which only shrink)', () => {
  const found = anyReturningRepoFunctions();
  const added = found.filter((f) => !KNOWN.has(f));
  const fixed = [...KNOWN].filter((f) => !found.includes(f));
  expect({ added, fixed }).toEqual({ added: [], fixed: [] });
}, 240_000);
