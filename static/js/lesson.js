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
    fetch(heartbeatUrl, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }
  setInterval(beat, 30000);
  document.addEventListener("visibilitychange", beat);

  var SIGNED_OUT = "Not saved: you have been signed out. Copy what you wrote somewhere safe, then reload the page and sign in.";
  var NOT_SAVED = "Not saved: something went wrong on our side. Copy what you wrote somewhere safe, then reload the page.";
  var isJson = function (response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  };

  document.querySelectorAll(".reflection-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector(".save-status");
      status.textContent = "Saving…";
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
              status.textContent = data.cleared ? "Cleared." : "Saved. Only you can see this.";
            } else {
              status.textContent = data.error || NOT_SAVED;
            }
          });
        })
        .catch(function () {
          status.textContent = "Not saved: the connection dropped. Please try again.";
        });
    });
  });
})();
