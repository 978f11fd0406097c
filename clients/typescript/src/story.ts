// The AET rollout as a TypeScript integrator writes it: every call typed by openapi-typescript from the committed
// contracts of the four services and sent by openapi-fetch through the gateway. Story.Tests (TypeScriptClientStoryTests)
// creates the trust and runs this with the CEO's token and the seed's policy values in the environment. Tokens for
// people who exist only once the story has created them (a headteacher of a new school, a member of staff after the
// roster sync) are asked of the harness on stdout ("TOKEN {role, schoolId, staffId}", answered by one line on stdin),
// as a real integration asks its identity provider; "SWEEP" asks it to run Incidents' overdue scan now. Any step that
// does not go as the contract says ends the process with a non-zero code and the reason.
import { createInterface } from "node:readline";
import createClient from "openapi-fetch";
import type { components as AccountsSchemas, paths as AccountsPaths } from "./generated/accounts.js";
import type { components as IncidentsSchemas, paths as IncidentsPaths } from "./generated/incidents.js";
import type { paths as PolicyPaths } from "./generated/policy.js";
import type { components as TrainingSchemas, paths as TrainingPaths } from "./generated/training.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const gateway = env("TP_GATEWAY");
const today = env("TP_TODAY");
const now = new Date(env("TP_NOW"));
// The seed's values (002 baseline, 003 schools), in the order the policy service takes them.
const seed = JSON.parse(env("TP_SEED")) as { baseline: [string, unknown][]; schools: Record<string, [string, unknown][]> };

function expect(condition: unknown, because: string): asserts condition {
  if (!condition) throw new Error(because);
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The typed body of a 2xx answer; anything else ends the story with the status and the problem. */
function ok<T>(result: Result<T>, what: string): T {
  expect(result.response.ok && result.data !== undefined, `${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

/** Polls until done (an event from another service has arrived), never longer than the timeout. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, because: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  let delay = 20;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${because}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(250, delay * 1.5);
  }
}

/** Repeats a call while it answers one of waitingFor (an event not yet arrived), then returns the answer. */
const whileRefused = <R extends Result<unknown>>(call: () => Promise<R>, because: string, ...waitingFor: number[]) =>
  until(call, (r) => !waitingFor.includes(r.response.status), because);

const harness = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function ask(request: string): Promise<string> {
  console.log(request);
  const answer = await harness.next();
  expect(!answer.done && answer.value, `the harness did not answer ${request.split(" ")[0]}`);
  return answer.value;
}

const clients = (headers: Record<string, string>) => ({
  policy: createClient<PolicyPaths>({ baseUrl: `${gateway}/policy`, headers }),
  accounts: createClient<AccountsPaths>({ baseUrl: `${gateway}/accounts`, headers }),
  incidents: createClient<IncidentsPaths>({ baseUrl: `${gateway}/incidents`, headers }),
  training: createClient<TrainingPaths>({ baseUrl: `${gateway}/training`, headers }),
});
const bearer = (token: string) => clients({ Authorization: `Bearer ${token}` });
const inSchool = async (role: string, schoolId: string, staffId: string | null = null) =>
  bearer(await ask(`TOKEN ${JSON.stringify({ role, schoolId, staffId })}`));

// ---- 0. The CEO (the harness onboarded the trust) adds the schools.
const ceo = bearer(env("TP_CEO_TOKEN"));
const me = ok(await ceo.policy.GET("/v1/me"), "GET /v1/me");
expect(me.kind === "person", `GET /v1/me: kind ${me.kind}`);
async function createSchool(name: string, urn: string, phase: "primary" | "secondary") {
  const school = ok(await ceo.policy.POST("/v1/schools", { body: { name, urn, phase, localAuthority: "Nottingham" } }), `school ${name}`);
  expect(school.id, `school ${name} has no id`);
  return school.id;
}
const oldBasford = await createSchool("Old Basford School", "140200", "secondary");
const mellers = await createSchool("Mellers Primary School", "140203", "primary");
const schoolPath = (schoolId: string) => ({ params: { path: { schoolId } } });

// ---- 1. The trust's baseline (002), each PUT with the ETag it read, as a careful client does.
function etagOf(read: Result<unknown>, what: string): string {
  const etag = read.response.headers.get("ETag");
  expect(read.response.ok && etag, `${what} answered ${read.response.status} without an ETag`);
  return etag;
}
for (const [key, value] of seed.baseline) {
  const etag = etagOf(await ceo.policy.GET("/v1/policy/baseline"), "baseline");
  ok(await ceo.policy.PUT("/v1/policy/baseline/{key}", { params: { path: { key }, header: { "If-Match": etag } }, body: { value } }), `baseline ${key}`);
}
const baseline = ok(await ceo.policy.GET("/v1/policy/baseline"), "baseline");
const sla = baseline.settings?.find((s) => s.key === "sla.response_hours");
expect(sla?.rule === "tighten_only", `sla.response_hours is ${JSON.stringify(sla)}`);

// ---- 2. Each headteacher sets the school's own values (003); 72 h against the trust's tighten-only 48 h is refused.
const mellersHead = await inSchool("headteacher", mellers);
const basfordHead = await inSchool("headteacher", oldBasford);
async function setOverride(head: typeof mellersHead, schoolId: string, key: string, value: unknown) {
  const etag = etagOf(await head.policy.GET("/v1/schools/{schoolId}/policy/overrides", schoolPath(schoolId)), "overrides");
  return head.policy.PUT("/v1/schools/{schoolId}/policy/overrides/{key}", { params: { path: { schoolId, key }, header: { "If-Match": etag } }, body: { value } });
}
for (const [schoolId, name, head] of [[mellers, "Mellers Primary School", mellersHead], [oldBasford, "Old Basford School", basfordHead]] as const) {
  const values = seed.schools[name];
  expect(values, `no seed values for ${name}`);
  for (const [key, value] of values) ok(await setOverride(head, schoolId, key, value), `${name} ${key}`);
}
const refused = await setOverride(basfordHead, oldBasford, "sla.response_hours", 72);
const rule = refused.error?.rule;
expect(refused.response.status === 422 && rule?.includes("tighten"), `72-hour SLA: ${refused.response.status} ${JSON.stringify(refused.error)}`);
console.log(`refused: ${rule}`);

// ---- 3. Version 1.0: drafted, approved by the trustees, published; every other service learns it from PolicyPublished.
const draft = ok(await ceo.policy.POST("/v1/policy/versions", { body: { kind: "major", summary: "AET social media policy 1.0" } }), "draft");
expect(draft.id, "the draft has no id");
const versionId = draft.id;
const version = { params: { path: { versionId } } };
ok(await ceo.policy.POST("/v1/policy/versions/{versionId}/approve", {
  ...version, body: { approverName: "Chair of the Board of Trustees", approvingBody: "Board of Trustees", approvedOn: today },
}), "approve");
const published = ok(await ceo.policy.POST("/v1/policy/versions/{versionId}/publish", version), "publish");
expect(published.status === "published", `publish: ${published.status}`);

const incidentPolicy = (schoolId: string) => until(async () => ok(await ceo.incidents.GET("/v1/schools/{schoolId}/incident-policy", schoolPath(schoolId)), "incident-policy"),
  (p) => p.source?.includes("1.0") === true, `version 1.0 reaches Incidents at ${schoolId}`);
expect((await incidentPolicy(mellers)).sla?.responseHours === 24, "Mellers answers within 24 hours (003)");
expect((await incidentPolicy(oldBasford)).sla?.responseHours === 48, "Old Basford keeps the trust's 48 hours");
const accountPolicy = await until(async () => ok(await ceo.accounts.GET("/v1/schools/{schoolId}/account-policy", schoolPath(mellers)), "account-policy"),
  (p) => p.version === "1.0", "version 1.0 reaches Accounts");
expect(accountPolicy.minimumAdministrators === 2, `minimum administrators ${accountPolicy.minimumAdministrators}`);
expect(JSON.stringify(accountPolicy.approvalChain) === JSON.stringify(["marketing_officer", "headteacher"]), `approval chain ${accountPolicy.approvalChain}`);
const trainingPolicy = await until(async () => ok(await ceo.training.GET("/v1/schools/{schoolId}/training-policy", schoolPath(mellers)), "training-policy"),
  (p) => p.version === "1.0", "version 1.0 reaches Training");
expect(trainingPolicy.refresherCadence, "Training has a refresher cadence");

// ---- 4. The MIS vendor's key, issued by Policy, syncs each school's staff through Training.
const issued = ok(await ceo.policy.POST("/v1/api-keys", {
  body: { name: "MIS integration", scopes: ["roster:write", "roster:read", "training:write", "compliance:read"] },
}), "API key");
expect(issued.secret, "the key's secret is shown once, on creation");
const mis = clients({ "X-Api-Key": issued.secret });
const start = new Date(Date.parse(`${today}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
type Row = TrainingSchemas["schemas"]["RosterPersonRow"];
const row = (misId: string, displayName: string, ...roles: string[]): Row => ({ misId, displayName, personType: "staff", roles, startDate: start, leaveDate: null });
const mellersRoster = [row("M1", "Jo Kervick", "teacher", "e_safety_lead"), row("M2", "Gary Phillips", "ict_technician"),
  row("M3", "Jo Travis", "office_staff", "marketing_officer"), row("M4", "Sam Patel", "teacher")];
const sync = (schoolId: string, people: Row[], deletions: string[] = []) =>
  mis.training.POST("/v1/schools/{schoolId}/roster/sync", { ...schoolPath(schoolId), body: { people, deletions } });
const mellersJob = ok(await whileRefused(() => sync(mellers, mellersRoster), "ApiKeyIssued reaches Training, which then accepts the key", 401), "Mellers roster");
expect(mellersJob.joined === 4, `Mellers joined ${mellersJob.joined}`);
const basfordJob = ok(await sync(oldBasford, [row("B1", "Hannah Booth", "teacher"), row("B2", "Brett Summersby", "teacher")]), "Old Basford roster");
expect(basfordJob.joined === 2, `Old Basford joined ${basfordJob.joined}`);

async function people(schoolId: string) {
  const page = ok(await mis.training.GET("/v1/schools/{schoolId}/people", { params: { path: { schoolId }, query: { limit: 200 } } }), "people");
  return new Map((page.items ?? []).map((p) => [p.misId ?? "", p.id ?? ""]));
}
const staff = await people(mellers);
const basfordStaff = await people(oldBasford);
const id = (misId: string) => {
  const person = staff.get(misId);
  expect(person, `${misId} is not on Mellers' roster`);
  return person;
};
const everyone = [...[...staff.values()].map((p) => [mellers, p] as const), ...[...basfordStaff.values()].map((p) => [oldBasford, p] as const)];
expect(everyone.length === 6 && everyone.every(([, p]) => p), "six people with ids");
const requirements = async (schoolId: string, personId: string) =>
  ok(await mis.training.GET("/v1/schools/{schoolId}/people/{personId}/requirements", { params: { path: { schoolId, personId } } }), "requirements").requirements ?? [];
const statusOf = (list: TrainingSchemas["schemas"]["RequirementResponse"][], name: string) => list.find((r) => r.requirement === name)?.status;
for (const [schoolId, personId] of everyone) {
  expect(statusOf(await requirements(schoolId, personId), "induction") === "due", `every joiner's induction is due (${personId})`);
}

// ---- 5. Staff complete the policy course and acknowledge version 1.0 (all but Gary, for now); Accounts learns both.
const course = ok(await mis.training.POST("/v1/courses", { body: { code: "social_media_policy", title: "Social media policy", validityMonths: 12 } }), "course");
expect(course.id, "the course has no id");
const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
for (const [schoolId, personId] of everyone) {
  ok(await mis.training.POST("/v1/schools/{schoolId}/people/{personId}/completions", {
    params: { path: { schoolId, personId } },
    body: { courseId: course.id, completedOn: yesterday, provider: "National College", evidenceReference: `CERT-${personId.slice(0, 6)}` },
  }), "completion");
  expect(statusOf(await requirements(schoolId, personId), "induction") === "done", `induction done after the course (${personId})`);
}

async function acknowledge(schoolId: string, personId: string) {
  const self = await inSchool("staff", schoolId, personId);
  const ack = await whileRefused(() => self.training.POST("/v1/schools/{schoolId}/people/{personId}/acknowledgements", {
    params: { path: { schoolId, personId } }, body: { policyVersionId: versionId },
  }), "Training knows version 1.0", 404, 409, 422);
  expect(ack.response.status === 201 && ok(ack, "acknowledgement").policyVersionId === versionId, `acknowledgement: ${ack.response.status}`);
}
for (const misId of ["M1", "M3", "M4"]) await acknowledge(mellers, id(misId));
for (const personId of basfordStaff.values()) await acknowledge(oldBasford, personId);

// ---- 6. Jo Kervick applies for a Mellers sports account with Jo and Gary as administrators. The marketing officer approves;
// the headteacher's final approval is refused (422 naming Gary) until Gary acknowledges, then succeeds.
const jo = id("M1");
const gary = id("M2");
const applicant = await inSchool("staff", mellers, jo);
const application = ok(await whileRefused(() => applicant.accounts.POST("/v1/applications", {
  body: {
    schoolId: mellers, platform: "facebook", handle: "MellersSports", administrators: [jo, gary],
    purpose: "Share fixtures and results of Mellers' sports teams with families.",
    proposedContent: "Fixtures, results, team photos without faces.",
    audiences: [{ kind: "families" }], contributors: ["PE staff"], moderator: jo, visibility: "closed",
    visibilityReason: "Followers are approved so only Mellers families see pupils' sport.",
    evaluation: "Attendance at fixtures each term.", url: "https://facebook.com/MellersSports", officialEmail: "sports@mellers.example",
  },
}), "Accounts knows Jo and Gary as Mellers staff (StaffJoined)", 422), "application");
expect(application.id && application.status === "pending", `application: ${application.status}`);
const applicationPath = { params: { path: { id: application.id } } };
const marketing = await inSchool("marketing_officer", mellers, id("M3"));
const first = ok(await marketing.accounts.POST("/v1/applications/{id}/decisions", { ...applicationPath, body: { step: "marketing_officer", outcome: "approve" } }), "marketing officer");
expect(first.nextStep === "headteacher", `next step ${first.nextStep}`);

const headApproves = () => mellersHead.accounts.POST("/v1/applications/{id}/decisions", { ...applicationPath, body: { step: "headteacher", outcome: "approve" } });
const names = (problem: AccountsSchemas["schemas"]["ProblemDetails"] | undefined, admin: string) => Object.hasOwn(problem?.errors ?? {}, `administrators.${admin}`);
const waiting = await until(headApproves, (r) => r.response.status !== 422 || (names(r.error, gary) && !names(r.error, jo)),
  "Jo's training and acknowledgement reach Accounts; Gary's acknowledgement is missing");
expect(waiting.response.status === 422 && JSON.stringify(waiting.error).includes("acknowledg"), `headteacher before Gary acknowledged: ${waiting.response.status}`);

await acknowledge(mellers, gary);
const approved = ok(await whileRefused(headApproves, "PolicyAcknowledged (Training) reaches Accounts", 422), "headteacher");
expect(approved.status === "approved" && approved.accountId, `application: ${approved.status}`);
const accountPath = { params: { path: { id: approved.accountId } } };
expect(ok(await ceo.accounts.GET("/v1/accounts/{id}", accountPath), "account").status === "live", "the approved account is live");
for (const admin of [jo, gary]) {
  await until(() => requirements(mellers, admin), (list) => statusOf(list, "platform_training") !== undefined, "AccountApproved reaches Training: platform training");
}

// ---- 7. A pupil sends a friend request to a teacher: the case routes to the DSL and is restricted.
const reporter = await inSchool("staff", mellers, id("M4"));
const friendRequest = ok(await reporter.incidents.POST("/v1/schools/{schoolId}/cases", {
  ...schoolPath(mellers),
  body: {
    type: "inappropriate_contact", summary: "A Year 6 pupil sent a friend request to a teacher",
    subject: { kind: "pupil", misId: "P-000123" },
    inappropriateContact: { from: "pupil", platform: "instagram", contactKind: "friend_request", staffResponded: false },
  },
}), "friend request");
expect(friendRequest.id && friendRequest.status === "open", `friend request: ${friendRequest.status}`);
type CaseOrReceipt = IncidentsSchemas["schemas"]["CaseOrReceipt"];
function fullCase(found: CaseOrReceipt) {
  if (found.view !== "full") throw new Error("the case answered a receipt to one who may read it");
  return found;
}
const dsl = await inSchool("dsl", mellers);
const casePath = (caseId: string) => ({ params: { path: { id: caseId } } });
const routed = fullCase(ok(await dsl.incidents.GET("/v1/cases/{id}", casePath(friendRequest.id)), "DSL reads the case"));
expect(routed.assignedRole === "dsl" && routed.restricted === true, `routed to ${routed.assignedRole}, restricted ${routed.restricted}`);
const hidden = await mellersHead.incidents.GET("/v1/cases/{id}", casePath(friendRequest.id));
expect(hidden.response.status === 404 && hidden.error?.status === 404, `a restricted case is the DSL's only: ${hidden.response.status}`);

// ---- 8. A Saturday comment on the Mellers account (24 h school) is due Monday 17:00, and escalates when unanswered.
async function comment(receivedAt: Date) {
  const receipt = ok(await reporter.incidents.POST("/v1/schools/{schoolId}/cases", {
    ...schoolPath(mellers),
    body: { type: "account_message", summary: "A parent comments on the sports page", accountMessage: { platform: "facebook", kind: "comment", receivedAt: receivedAt.toISOString(), accountId: approved.accountId } },
  }), "comment");
  expect(receipt.id, "the receipt has no id");
  return { id: receipt.id, found: fullCase(ok(await mellersHead.incidents.GET("/v1/cases/{id}", casePath(receipt.id)), "headteacher reads the comment")) };
}
const dueAt = (found: { dueAt?: string | null }) => (found.dueAt ? Date.parse(found.dueAt) : Number.NaN);
const saturday = await comment(new Date(Date.UTC(2026, 10, 21, 10)));
expect(dueAt(saturday.found) === Date.UTC(2026, 10, 23, 17), `Saturday 21 November is due ${saturday.found.dueAt}`);
const unanswered = await comment(new Date(Date.UTC(2026, 10, 14, 10)));
expect(dueAt(unanswered.found) === Date.UTC(2026, 10, 16, 17), `Saturday 14 November is due ${unanswered.found.dueAt}`);
expect((await ask("SWEEP")) === "swept", "the overdue sweep ran");
expect(fullCase(ok(await mellersHead.incidents.GET("/v1/cases/{id}", casePath(unanswered.id)), "unanswered")).overdue === true, "the unanswered comment is overdue");
const timeline = ok(await mellersHead.incidents.GET("/v1/cases/{id}/timeline", casePath(unanswered.id)), "timeline");
expect((timeline.items ?? []).some((e) => e.kind === "overdue"), "the timeline records the escalation");
const fresh = await comment(new Date(now.getTime() - 60_000));
expect((await ask("SWEEP")) === "swept", "the overdue sweep ran");
expect(fullCase(ok(await mellersHead.incidents.GET("/v1/cases/{id}", casePath(fresh.id)), "fresh")).overdue === false, "a comment received just now is not overdue");

// ---- 10. Gary leaves via the MIS sync: the account turns handover-required.
const leaving = ok(await sync(mellers, mellersRoster.filter((r) => r.misId !== "M2"), ["M2"]), "Gary leaves");
expect(leaving.left === 1, `left ${leaving.left}`);
await until(async () => ok(await ceo.accounts.GET("/v1/accounts/{id}", accountPath), "account"), (a) => a.handoverRequired === true,
  "StaffLeft (Training) reaches Accounts: handover required");

// ---- 11. The CEO's trust-wide views: deviations (Policy), compliance (Training), overdue cases (Incidents).
const deviations = ok(await ceo.policy.GET("/v1/policy/deviations"), "deviations").settings ?? [];
const setting = (key: string) => {
  const found = deviations.find((s) => s.key === key);
  expect(found, `no deviations row for ${key}`);
  return found;
};
const cell = (key: string, schoolId: string) => setting(key).schools?.find((c) => c.schoolId === schoolId);
expect(cell("sla.response_hours", mellers)?.source === "school" && cell("sla.response_hours", oldBasford)?.source === "trust", "SLA: Mellers its own, Old Basford the trust's");
expect(cell("roles.esafety_team", mellers)?.source === "school" && cell("roles.esafety_team", oldBasford)?.source === "school", "each school names its e-safety team");
const team = JSON.stringify(setting("roles.esafety_team"));
expect(team.includes("Jo Kervick") && team.includes("Hannah Booth"), "the teams name Jo Kervick and Hannah Booth");
expect(cell("journalist.rule", oldBasford)?.value === "headteacher_and_chair", "Old Basford's journalist rule");

const compliance = ok(await ceo.training.GET("/v1/compliance"), "compliance").schools ?? [];
const basfordCompliance = compliance.find((s) => s.schoolId === oldBasford);
expect(compliance.some((s) => s.schoolId === mellers) && basfordCompliance, "compliance covers both schools");
expect(basfordCompliance.requirements?.find((r) => r.requirement === "induction")?.done === 2, "both Old Basford teachers are inducted");

const overdue = (ok(await ceo.incidents.GET("/v1/cases/overdue", { params: { query: { limit: 200 } } }), "overdue").items ?? []).map((c) => c.id);
expect(overdue.includes(unanswered.id) && !overdue.includes(fresh.id), "the overdue list has the unanswered comment only");

console.log(`story done: case ${friendRequest.id}, account ${approved.accountId}`);
process.exit(0);
