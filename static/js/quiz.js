// Quiz attempt and result pages. Everything here is an enhancement: without JavaScript
// the "Save" and "Submit" buttons post the form, and the result page refreshes itself.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // --- attempt page: save each answer as the learner goes -------------------------------
  var form = document.getElementById("attempt-form");
  if (form) {
    var saveUrl = form.dataset.saveUrl;
    // The words this script shows come from the page (data attributes on the form, in the
    // page's language), so the script stays a static file with no catalogue to load.
    var words = form.dataset;
    var timers = {};
    var submitting = false;

    var answerOf = function (questionId) {
      var inputs = form.querySelectorAll('[name="q-' + questionId + '"]');
      if (!inputs.length) return null;
      var first = inputs[0];
      if (first.type === "checkbox") {
        return Array.prototype.filter.call(inputs, function (i) { return i.checked; }).map(function (i) { return i.value; });
      }
      if (first.type === "radio") {
        var checked = Array.prototype.find.call(inputs, function (i) { return i.checked; });
        return checked ? checked.value : null;
      }
      return first.value;
    };

    // Saves still on their way: the submission waits for them, else one could reach the
    // server after the attempt is submitted and be refused.
    var inFlight = 0;
    var afterSaves = null;
    var settled = function () {
      inFlight -= 1;
      if (inFlight === 0 && afterSaves) { var go = afterSaves; afterSaves = null; go(); }
    };

    var save = function (questionId) {
      if (submitting) return; // the form carries every answer; a late save would be refused
      var status = document.getElementById("q-" + questionId + "-status");
      inFlight += 1;
      var answers = {};
      answers[questionId] = answerOf(questionId);
      if (status) status.textContent = words.saving;
      return fetch(saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify({ answers: answers }),
      })
        .then(function (response) {
          if (response.redirected) {
            // Sent to the sign-in page: whatever it says, this was not saved.
            if (status) status.textContent = words.signedOut;
            return;
          }
          if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
            if (status) status.textContent = words.serverError;
            return;
          }
          return response.json().then(function (data) {
            if (response.status === 409 && data.result_url && !submitting) {
              window.location.assign(data.result_url);
              return;
            }
            if (status) status.textContent = response.ok ? words.saved : data.error || words.refused;
          });
        })
        .catch(function () {
          if (status) status.textContent = words.offline;
        })
        .then(settled, settled);
    };

    var schedule = function (questionId, delay) {
      clearTimeout(timers[questionId]);
      timers[questionId] = setTimeout(function () { save(questionId); }, delay);
    };

    var isText = function (el) { return el.type === "text" || el.tagName === "TEXTAREA"; };
    form.addEventListener("change", function (event) {
      var match = /^q-(.+)$/.exec(event.target.name || "");
      // A choice is saved at once. Text is saved shortly after the field loses focus:
      // if that was a click on "Submit", the submission (which carries it) goes instead.
      if (match) schedule(match[1], isText(event.target) ? 400 : 0);
    });
    form.addEventListener("input", function (event) {
      var match = /^q-(.+)$/.exec(event.target.name || "");
      if (match && isText(event.target)) schedule(match[1], 1200);
    });
    var released = false;
    form.addEventListener("submit", function (event) {
      submitting = true;
      Object.keys(timers).forEach(function (id) { clearTimeout(timers[id]); });
      if (inFlight > 0 && !released) {
        event.preventDefault();
        var submitter = event.submitter;
        afterSaves = function () {
          released = true;
          if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
        };
      }
    });

    // Written answers: how many characters so far, next to the minimum (counted as the
    // server counts them: surrounding space ignored, runs of spaces as one).
    var showCount = function (area) {
      var out = document.getElementById(area.dataset.count);
      if (out) out.textContent = " " + words.soFar.replace("{count}", area.value.trim().replace(/\s+/g, " ").length);
    };
    Array.prototype.forEach.call(form.querySelectorAll("textarea[data-count]"), showCount);
    form.addEventListener("input", function (event) {
      if (event.target.dataset && event.target.dataset.count) showCount(event.target);
    });

    // Time on task: heartbeats every 30 s while the attempt is on screen, as on lessons.
    // The server measures the time between them itself and ignores long gaps.
    var beat = function () {
      if (submitting || document.visibilityState !== "visible" || !form.dataset.heartbeatUrl) return;
      fetch(form.dataset.heartbeatUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
      }).catch(function () {});
    };
    setInterval(beat, 30000);
    document.addEventListener("visibilitychange", beat);

    // Time limit: a visible countdown; at zero the form is submitted (the server also
    // enforces the limit, so this only saves the learner a click).
    var timer = document.getElementById("timer");
    if (timer) {
      var left = parseInt(timer.dataset.secondsLeft, 10);
      var value = document.getElementById("timer-value");
      var started = Date.now();
      var announced = false;
      var tick = function () {
        var remaining = Math.max(0, left - Math.floor((Date.now() - started) / 1000));
        var minutes = Math.floor(remaining / 60);
        var seconds = remaining % 60;
        value.textContent = timer.dataset.format.replace("{minutes}", minutes).replace("{seconds}", (seconds < 10 ? "0" : "") + seconds);
        if (remaining <= 60 && !announced) {
          announced = true;
          timer.setAttribute("aria-live", "assertive");
        }
        if (remaining === 0 && !submitting) {
          submitting = true;
          form.submit();
          return;
        }
        setTimeout(tick, 1000);
      };
      tick();
    }
  }

  // --- result page: wait for the grade -------------------------------------------------
  var grading = document.getElementById("grading");
  if (grading) {
    var delay = 1000;
    var poll = function () {
      fetch(grading.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.ready) {
            window.location.reload();
          } else {
            delay = Math.min(delay * 1.5, 10000);
            setTimeout(poll, delay);
          }
        })
        .catch(function () { setTimeout(poll, 10000); });
    };
    setTimeout(poll, delay);
  }
})();
