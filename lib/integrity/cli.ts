import { closeDb, db } from "@/db";
import { runIntegrityChecks } from "./checks";

// `npm run check:integrity`: checks every invariant against the database in DATABASE_URL,
// prints each with its count of violations, and exits 1 if any is violated.
async function main() {
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: point it at the Tessera database to check.");
    process.exit(2);
  }
  const eventId = process.argv.find((a) => a.startsWith("--event="))?.slice(8);
  const results = await runIntegrityChecks(db(), eventId);
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) console.log(`${r.violations === 0 ? "ok  " : "FAIL"} ${r.name.padEnd(width)} ${String(r.violations).padStart(6)}  ${r.description}`);
  const bad = results.filter((r) => r.violations > 0).length;
  console.log(bad === 0 ? `\nintegrity: all ${results.length} checks hold` : `\nintegrity: ${bad} of ${results.length} checks VIOLATED`);
  await closeDb();
  process.exit(bad === 0 ? 0 : 1);
}

main().catch(async (err) => {
  console.error(err);
  await closeDb().catch(() => {});
  process.exit(2);
});
