// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// An update's progress page: without JavaScript it refreshes itself; with it, it asks for the counts instead.
const progress = document.querySelector("[data-progress-url]");
if (progress) {
  const show = (name, text) => {
    const field = progress.querySelector(`[data-field="${name}"]`);
    if (field) field.textContent = text;
  };
  const poll = async () => {
    const response = await fetch(progress.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    const bar = progress.querySelector("progress");
    bar.value = data.percent;
    bar.textContent = `${data.percent}%`;
    show("percent", data.percent);
    for (const name of ["queued", "sent", "failed", "cancelled"]) show(name, data[name].toLocaleString("en-GB"));
    show(
      "time_left",
      data.finished ? "Finished" : data.seconds_left === null ? "Working it out" : `About ${data.seconds_left} seconds`,
    );
    if (data.finished) {
      for (const element of document.querySelectorAll("[data-while-sending]")) element.hidden = true;
    } else {
      window.setTimeout(poll, 2000);
    }
  };
  window.setTimeout(poll, 1000);
}
