#!/usr/bin/env node
/**
 * Writes the sample data the example mashups compute evidence from (apps/nodered/sample-data/), 2025-01-01 through
 * 2027-12-31. Deterministic: a seeded generator, so running it again reproduces the committed files byte for byte
 * and tests can name known records. Mostly passing, with the occasional failure a real organisation would show.
 *
 *   node apps/nodered/scripts/generate-sample-data.mjs
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../sample-data");
const START = Date.UTC(2025, 0, 1);
const END = Date.UTC(2028, 0, 1);
const DAY = 86_400_000;

// mulberry32: small, fast and good enough for sample data; Math.random would change the files on every run.
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = createRandom(20250101);
const pick = (items) => items[Math.floor(random() * items.length)];
const between = (low, high) => low + Math.floor(random() * (high - low + 1));
const iso = (ms) => new Date(ms).toISOString();

const TEAMS = {
  payments: { repositories: ["ledger", "checkout", "payouts"], people: ["ana", "ben", "carla", "dmitri", "eva"] },
  platform: { repositories: ["infra", "gateway", "auth-service"], people: ["farid", "greta", "hugo", "ines"] },
  mobile: { repositories: ["ios-app", "android-app"], people: ["jonas", "kim", "lena", "marco"] },
};

/** Merged pull requests: about two a week per repository; roughly 1 in 25 merged without an approval. */
function pullRequests() {
  const records = [];
  for (const [team, { repositories, people }] of Object.entries(TEAMS)) {
    for (const repository of repositories) {
      let number = 100;
      for (
        let opened = START + between(0, 3) * DAY;
        opened < END;
        opened += between(2, 5) * DAY + between(0, 23) * 3_600_000
      ) {
        number += 1;
        const merged = opened + between(2, 96) * 3_600_000;
        if (merged >= END) break;
        const roll = random();
        const approvals = roll < 0.04 ? 0 : roll < 0.55 ? 1 : roll < 0.9 ? 2 : 3;
        records.push({
          id: `${repository}#${number}`,
          team,
          repository,
          author: pick(people),
          openedAt: iso(opened),
          mergedAt: iso(merged),
          approvals,
        });
      }
    }
  }
  return records.sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.id.localeCompare(b.id));
}

const SYSTEMS = ["aws-prod", "postgres-prod", "github-org", "okta"];
const ROLES = ["admin", "owner", "superuser"];

/**
 * Access reviews of privileged accounts, one row per review. Reviews are due every 90 days; most happen on time,
 * some slip past the deadline, and a review may revoke the account (no reviews follow).
 */
function accessReviews() {
  const rows = [];
  for (const [team, { people }] of Object.entries(TEAMS)) {
    for (const person of people) {
      for (const system of SYSTEMS) {
        if (random() < 0.5) continue;
        const account = `${person}@${system}`;
        const role = pick(ROLES);
        let reviewedAt = START - between(0, 80) * DAY + between(8, 17) * 3_600_000;
        while (reviewedAt < END) {
          const decision = random() < 0.03 ? "revoke" : "keep";
          if (reviewedAt >= START - 90 * DAY)
            rows.push({
              account,
              team,
              system,
              role,
              reviewedAt: iso(reviewedAt),
              reviewer: pick(people.filter((p) => p !== person)),
              decision,
            });
          if (decision === "revoke") break;
          const late = random() < 0.12 ? between(5, 45) : 0;
          reviewedAt += (between(75, 90) + late) * DAY;
        }
      }
    }
  }
  rows.sort((a, b) => a.reviewedAt.localeCompare(b.reviewedAt) || a.account.localeCompare(b.account));
  const header = "account,team,system,role,reviewed_at,reviewer,decision";
  return (
    [
      header,
      ...rows.map((row) =>
        [row.account, row.team, row.system, row.role, row.reviewedAt, row.reviewer, row.decision].join(","),
      ),
    ].join("\n") + "\n"
  );
}

/** Nightly backup runs per environment at 02:00 UTC: mostly success, sometimes failed or partial, rarely missing. */
function backupLog() {
  const runs = [];
  for (const environment of ["production", "staging"]) {
    for (let night = START; night < END; night += DAY) {
      const roll = random();
      if (roll < 0.005) continue; // the job did not run at all
      const started = night + 2 * 3_600_000 + between(0, 300) * 1000;
      const status = roll < 0.02 ? "failed" : roll < 0.035 ? "partial" : "success";
      const minutes = environment === "production" ? between(18, 42) : between(6, 15);
      const date = iso(night).slice(0, 10);
      runs.push({
        id: `${environment}-${date}`,
        environment,
        startedAt: iso(started),
        finishedAt: iso(started + minutes * 60_000),
        status,
        sizeMb:
          status === "failed"
            ? 0
            : between(environment === "production" ? 9000 : 1200, environment === "production" ? 12_000 : 1800),
      });
    }
  }
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** One JSON record per line: small diffs, and still a plain JSON array. */
function jsonLines(records) {
  return `[\n${records.map((record) => JSON.stringify(record)).join(",\n")}\n]\n`;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "pull-requests.json"), jsonLines(pullRequests()));
writeFileSync(path.join(outDir, "access-reviews.csv"), accessReviews());
writeFileSync(path.join(outDir, "backup-log.json"), jsonLines(backupLog()));
console.log(`sample data written to ${path.relative(process.cwd(), outDir) || "."}`);
