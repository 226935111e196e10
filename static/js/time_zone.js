// The browser's time zone, for the site to show times in it: kept in the "tz" cookie
// (lms/i18n.py reads it for people not signed in, and checks it), and suggested on the
// sign-up form's time zone field until the person picks one themselves.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
  if (document.cookie.split("; ").indexOf("tz=" + zone) === -1) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  function suggest() {
    var selects = document.querySelectorAll('select[data-browser-zone="suggest"]');
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      if (select.dataset.touched) continue;
      for (var j = 0; j < select.options.length; j++) {
        if (select.options[j].value === zone) {
          select.value = zone;
          break;
        }
      }
      select.addEventListener("change", function () { this.dataset.touched = "1"; });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", suggest);
  } else {
    suggest();
  }
})();
