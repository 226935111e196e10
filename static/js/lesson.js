// Lesson page: time on task and saving reflections without a page reload.
// Everything here is an enhancement: without JavaScript the forms still post normally.
(function () {
  "use strict";
  var script = document.getElementById("lesson-script");
  if (!script) return;
  var csrf = script.dataset.csrf;
  var heartbeatUrl = script.dataset.heartbeatUrl;

  // Heartbeats every 30 s while the lesson is on screen. The server measures the time
  // between them itself and ignores long gaps, so a hidden tab adds nothing.
  function beat() {
    if (document.visibilityState !== "visible") return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    fetch(heartbeatUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) showTimeOnTask(data.course_time_spent_seconds); })
      .catch(function () {});
  }

  // The CE time-on-task panel (a course with CE only) follows the course's total that
  // each heartbeat answers, in the page's words; quietly (no live region).
  function duration(panel, seconds, roundUp) {
    var minutes = roundUp ? Math.ceil(seconds / 60) : Math.floor(seconds / 60);
    var hours = Math.floor(minutes / 60);
    if (hours) return panel.dataset.formatHours.replace("{hours}", hours).replace("{minutes}", minutes % 60);
    return panel.dataset.formatMinutes.replace("{minutes}", minutes);
  }
  function showTimeOnTask(total) {
    var panel = document.getElementById("ce-time");
    if (!panel || typeof total !== "number") return;
    var left = Math.max(0, parseInt(panel.dataset.required, 10) - total);
    panel.querySelector("[data-ce-spent]").textContent = duration(panel, total, false);
    panel.querySelector("[data-ce-left]").textContent = left > 0 ? duration(panel, left, true) : panel.dataset.met;
  }
  setInterval(beat, 30000);
  document.addEventListener("visibilitychange", beat);

  // The words this script shows come from the page (data attributes on this script's tag,
  // in the page's language), so the script stays a static file with no catalogue to load.
  var words = script.dataset;
  var SIGNED_OUT = words.signedOut;
  var NOT_SAVED = words.serverError;
  var isJson = function (response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  };

  document.querySelectorAll(".reflection-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector(".save-status");
      status.textContent = words.saving;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (response.redirected) {
            // Sent to the sign-in page: whatever it says, this was not saved.
            status.textContent = SIGNED_OUT;
            return;
          }
          if (!isJson(response)) {
            status.textContent = NOT_SAVED;
            return;
          }
          return response.json().then(function (data) {
            if (response.ok && data.saved) {
              status.textContent = data.cleared ? words.cleared : words.saved;
            } else {
              status.textContent = data.error || NOT_SAVED;
            }
          });
        })
        .catch(function () {
          status.textContent = words.offline;
        });
    });
  });
})();
