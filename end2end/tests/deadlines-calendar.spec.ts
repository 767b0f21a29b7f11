// The calendar of deadlines: a step's deadline on its day in the month view, the National
// Day holiday marked 休 and its make-up Saturday 班, filters and views kept in the address,
// an item opening its case, and the secret iCalendar address made, read and turned off.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, OfficeFlowServer, raiseOverdueDocument, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

/** An incoming document received 2025-09-30 10:00: its first step is due that day at 18:00. */
async function documentOfNationalDayEve(request: import("@playwright/test").APIRequestContext): Promise<number> {
  const signedIn = await request.post(`${server.url}/api/auth/sign-in`, {
    data: { login: "document_clerk", password: DEMO_PASSWORD },
  });
  expect(signedIn.status()).toBe(200);
  const raised = await request.post(`${server.url}/api/cases/raise`, {
    data: {
      process: "incoming_document",
      title: "关于国庆节放假安排的通知",
      department: null,
      form: { received_at: "2025-09-30T10:00", issuer: "市政府办公厅", title: "放假通知" },
    },
  });
  expect(raised.status(), await raised.text()).toBe(200);
  return (await raised.json()).case.id;
}

test("the month shows a deadline on its day, 休 and 班 with the holiday's name, and the item opens its case", async ({ page, request }) => {
  const id = await documentOfNationalDayEve(request);
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/calendar?view=month&date=2025-10");
  const calendar = page.getByTestId("calendar");
  await expect(page.getByTestId("calendar-title")).toHaveText("2025年10月");
  // Weeks start on Monday: the grid opens on Monday 29 September.
  await expect(page.locator(".cal-month__weekday").first()).toHaveText("周一");
  await expect(page.locator(".cal-month .cal-day").first()).toHaveAttribute("data-date", "2025-09-29");

  const eve = calendar.locator('.cal-day[data-date="2025-09-30"]');
  const item = eve.locator(`.cal-item[data-case="${id}"]`);
  await expect(item).toBeVisible();
  await expect(item.locator(".cal-item__time")).toHaveText("18:00");
  await expect(item).toContainText("关于国庆节放假安排的通知");
  await expect(item).toContainText("已超时");
  await expect(item).toHaveAttribute("aria-label", /签收、编号.*公文文员/);

  const holiday = calendar.locator('.cal-day[data-date="2025-10-01"] [data-testid="day-mark"]');
  await expect(holiday.locator(".cal-mark__badge")).toHaveText("休");
  await expect(holiday).toContainText("国庆节、中秋节");
  const makeUp = calendar.locator('.cal-day[data-date="2025-10-11"] [data-testid="day-mark"]');
  await expect(makeUp.locator(".cal-mark__badge")).toHaveText("班");
  await expect(makeUp).toContainText("国庆节、中秋节");
  await expect(calendar.locator('.cal-day[data-date="2025-10-18"] [data-testid="day-mark"]')).toHaveCount(0);

  // The month moves by links; the address says where we are.
  await page.getByTestId("calendar-next").click();
  await expect(page).toHaveURL(/date=2025-11-01/);
  await expect(page.getByTestId("calendar-title")).toHaveText("2025年11月");
  await page.getByTestId("calendar-previous").click();
  await expect(page.getByTestId("calendar-title")).toHaveText("2025年10月");

  // Clicking the item opens the case's drawer on its board.
  await calendar.locator(`.cal-day[data-date="2025-09-30"] .cal-item[data-case="${id}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/functions/documents/board\\?case=${id}$`));
  await expect(page.getByTestId("case-drawer").getByRole("heading", { name: "关于国庆节放假安排的通知" })).toBeVisible();
});

test("week and list views, and the filters, are kept in the address", async ({ page, request }) => {
  const id = await documentOfNationalDayEve(request);
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/calendar?view=week&date=2025-09-30");
  const week = page.getByTestId("calendar-week");
  const item = week.locator(`.cal-item[data-case="${id}"]`);
  await expect(item).toContainText("签收、编号");
  await expect(item).toContainText("公文文员");
  await expect(item.locator(".sla")).toHaveText(/^已超时 \d+ 个工作日/);
  await expect(week.locator('.cal-day[data-date="2025-10-01"] .cal-mark__badge')).toHaveText("休");

  await page.getByRole("button", { name: "已超时" }).click();
  await expect(page).toHaveURL(/overdue=1/);
  await expect(week.locator(`.cal-item[data-case="${id}"]`)).toBeVisible();
  await page.getByTestId("calendar-function").selectOption("logistics");
  await expect(page).toHaveURL(/fn=logistics/);
  await expect(page.locator(`.cal-item[data-case="${id}"]`)).toHaveCount(0);
  await expect(page.locator(".calendar__empty")).toContainText("没有符合筛选条件的事项");

  // A shared link opens the same filtered list.
  await page.goto(`${server.url}/calendar?view=agenda&date=2025-09&fn=documents&q=${encodeURIComponent("放假安排")}`);
  const list = page.getByTestId("calendar-agenda");
  await expect(list.locator(`.cal-agenda__day[data-date="2025-09-30"] .cal-item[data-case="${id}"]`)).toBeVisible();
  await expect(page.getByTestId("calendar-function")).toHaveValue("documents");
  await expect(page.getByRole("link", { name: "列表" })).toHaveAttribute("aria-current", "page");
});

test("the subscription address is made once, serves the deadlines as iCalendar, and can be turned off", async ({ page, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "年末安全检查通知", null, 1);
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/calendar");
  const feed = page.getByTestId("calendar-feed");
  await expect(feed.getByTestId("feed-state")).toHaveText("尚未生成订阅地址。");
  await feed.getByTestId("feed-renew").click();
  const url = feed.getByTestId("feed-url");
  await expect(url).toHaveValue(new RegExp(`^${server.url}/feeds/[0-9a-f]{64}\\.ics$`));
  const address = await url.inputValue();
  const answer = await page.request.get(address);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toContain("text/calendar");
  const text = await answer.text();
  expect(text).toContain("BEGIN:VCALENDAR");
  expect(text).toContain(`UID:step-${id}-1@officeflow`);
  expect(text).toContain("TZID:Asia/Shanghai");

  page.on("dialog", (d) => d.accept());
  await feed.getByTestId("feed-revoke").click();
  await expect(feed).toContainText("订阅地址已停用");
  expect((await page.request.get(address)).status()).toBe(404);
});

/** YYYY-MM-DD of a date, in the browser's (UTC) calendar: the tests pick whole days. */
function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

test("dragging a meeting to another day reschedules it and moves the deadlines counted from it; a deadline stays", async ({ page, request }) => {
  // A Tuesday two to three weeks ahead, moved to the Thursday of the same week (week view).
  const now = new Date();
  const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 14));
  const meeting = new Date(ahead.getTime() + ((2 - ahead.getUTCDay() + 7) % 7) * 86400000);
  const later = new Date(meeting.getTime() + 2 * 86400000);
  const [meetingDay, laterDay] = [day(meeting), day(later)];

  const asOrganiser = await request.post(`${server.url}/api/auth/sign-in`, { data: { login: "meeting_organiser", password: DEMO_PASSWORD } });
  expect(asOrganiser.status()).toBe(200);
  const raised = await request.post(`${server.url}/api/cases/raise`, {
    data: {
      process: "meeting",
      title: "季度经营分析会",
      department: null,
      form: {
        title: "季度经营分析会", topics: "三季度经营情况", attendees: "各部门负责人",
        meeting_start: `${meetingDay}T14:00`, meeting_end: `${meetingDay}T16:00`,
      },
    },
  });
  expect(raised.status(), await raised.text()).toBe(200);
  const id: number = (await raised.json()).case.id;
  // The meeting specialist confirms it: the venue is now due a working day before it starts.
  const asSpecialist = await request.post(`${server.url}/api/auth/sign-in`, { data: { login: "meeting_specialist", password: DEMO_PASSWORD } });
  expect(asSpecialist.status()).toBe(200);
  const confirmed = await request.post(`${server.url}/api/cases/apply`, {
    data: { id, version: 1, command: { op: "complete_step", step: "confirm_and_notify" } },
  });
  expect(confirmed.status(), await confirmed.text()).toBe(200);

  await signIn(page, server.url, "meeting_organiser", DEMO_PASSWORD, `/calendar?view=week&date=${meetingDay}`);
  const week = page.getByTestId("calendar-week");
  const dayOf = (item: import("@playwright/test").Locator) => item.locator("xpath=ancestor::*[@data-date][1]").getAttribute("data-date");
  const start = week.locator(`.cal-item[data-key="event-${id}-meeting_start"]`);
  await expect(start).toHaveAttribute("data-movable", "true");
  expect(await dayOf(start)).toBe(meetingDay);
  const venue = page.locator(`.cal-item[data-key="step-${id}-2"]`);
  await expect(venue).toHaveCount(1);
  const venueDay = (await dayOf(venue))!;
  expect(venueDay < meetingDay).toBe(true);

  // A computed deadline does not move, and the calendar says why.
  await venue.dragTo(week.locator(`.cal-day[data-date="${laterDay}"]`));
  await expect(page.getByTestId("calendar-note")).toContainText("不能拖动改期");
  expect(await dayOf(venue)).toBe(venueDay);

  // The meeting moves two days on, its end with it, and the venue deadline follows it.
  await start.dragTo(week.locator(`.cal-day[data-date="${laterDay}"]`));
  await expect(page.getByTestId("calendar-note")).toContainText("依赖它的截止时间已重新计算");
  const moved = week.locator(`.cal-day[data-date="${laterDay}"]`);
  await expect(moved.locator(`.cal-item[data-key="event-${id}-meeting_start"] .cal-item__time`)).toHaveText("14:00");
  await expect(moved.locator(`.cal-item[data-key="event-${id}-meeting_end"] .cal-item__time`)).toHaveText("16:00");
  await expect.poll(async () => (await dayOf(page.locator(`.cal-item[data-key="step-${id}-2"]`)))! > venueDay).toBe(true);
  expect((await dayOf(page.locator(`.cal-item[data-key="step-${id}-2"]`)))! < laterDay).toBe(true);

  // The case itself has the new start.
  await page.goto(`${server.url}/functions/meetings/board?case=${id}`);
  const drawer = page.getByTestId("case-drawer");
  await expect(drawer).toContainText(`${later.getUTCFullYear()}年${later.getUTCMonth() + 1}月${later.getUTCDate()}日`);
  await expect(drawer).toContainText("14:00");
  await expect(drawer).not.toContainText(`${meetingDay}T14`);
});

test("a busy day lists three and counts the rest, and the rest opens its week with the same filters", async ({ page, request }) => {
  // Five documents received on Thursday 9 October 2025: five deadlines that day at 18:00.
  const signedIn = await request.post(`${server.url}/api/auth/sign-in`, {
    data: { login: "document_clerk", password: DEMO_PASSWORD },
  });
  expect(signedIn.status()).toBe(200);
  for (const hour of ["09", "10", "11", "13", "14"]) {
    const raised = await request.post(`${server.url}/api/cases/raise`, {
      data: {
        process: "incoming_document",
        title: `节后来文 ${hour} 时`,
        department: null,
        form: { received_at: `2025-10-09T${hour}:00`, issuer: "市政府办公厅", title: "节后通知" },
      },
    });
    expect(raised.status(), await raised.text()).toBe(200);
  }
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/calendar?view=month&date=2025-10&fn=documents");
  const day = page.locator('.cal-month .cal-day[data-date="2025-10-09"]');
  await expect(day.locator(".cal-item")).toHaveCount(3);
  const more = day.getByTestId("day-more");
  await expect(more).toHaveText("还有 2 项");
  await expect(more).toHaveAttribute("href", "/calendar?view=week&date=2025-10-09&fn=documents");
  await more.click();
  await expect(page).toHaveURL(/view=week&date=2025-10-09&fn=documents/);
  await expect(page.locator('.cal-day[data-date="2025-10-09"] .cal-item')).toHaveCount(5);
});

test("calendar screenshots at 1440 and 390 px", async ({ browser, request }, info) => {
  await documentOfNationalDayEve(request);
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    await signIn(page, server.url, "director", DEMO_PASSWORD, "/calendar");
    await expect(page.getByTestId("calendar-month")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`calendar-month-${width}.png`), fullPage: width === 1440 });
    if (width === 1440) {
      // October 2025: the National Day holiday (休) and its make-up Saturdays (班).
      await page.goto(`${server.url}/calendar?view=month&date=2025-10`);
      await expect(page.getByTestId("calendar-month")).toBeVisible();
      await page.screenshot({ path: info.outputPath("calendar-holidays-1440.png") });
    }
    await page.goto(`${server.url}/calendar?view=week&date=2025-09-30`);
    await expect(page.getByTestId("calendar-week")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`calendar-week-${width}.png`) });
    await context.close();
  }
});
