// Ventanilla inbox: live refresh over server-sent events, canned answers. No framework, no CDN.
"use strict";
(function () {
  var BACKGROUND = { "X-Inbox-Background": "1" };
  var pending = {};

  // Fetch the server-rendered (and escaped) fragment again and put it in place. A timeline follows its
  // citizen closely; a list waits a second so a busy hour does not turn into a storm of refreshes.
  function refresh(element) {
    var delay = element.hasAttribute("data-citizen") ? 250 : 1000;
    var url = element.getAttribute("data-refresh");
    if (!url || pending[url]) return;
    pending[url] = setTimeout(function () {
      delete pending[url];
      fetch(url, { headers: BACKGROUND, credentials: "same-origin" }).then(function (response) {
        if (response.redirected || !response.ok) return null;
        return response.text();
      }).then(function (html) {
        if (html === null) return;
        var atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
        element.innerHTML = html;
        localTimes(element);
        if (atBottom && element.classList.contains("timeline")) element.scrollTop = element.scrollHeight;
      }).catch(function () {});
    }, delay);
  }

  function refreshAll(citizen) {
    document.querySelectorAll("[data-refresh]").forEach(function (element) {
      var only = element.getAttribute("data-citizen");
      if (!only || citizen === undefined || String(citizen) === only) refresh(element);
    });
  }

  // Times come as UTC; show them in the city's zone (config.yml city.time_zone), as the server writes
  // them and as the dashboard counts days, wherever the agent's computer thinks it is.
  function localTimes(root) {
    var zone = document.documentElement.getAttribute("data-time-zone") || undefined;
    root.querySelectorAll("time[datetime]").forEach(function (node) {
      var value = new Date(node.getAttribute("datetime"));
      if (!isNaN(value)) {
        node.title = node.textContent;
        try {
          node.textContent = value.toLocaleString(document.documentElement.lang, {
            dateStyle: "short", timeStyle: "short", timeZone: zone
          });
        } catch (error) {  // a browser without that zone: keep the server's text
          node.title = "";
        }
      }
    });
  }

  function listen() {
    if (!document.body.hasAttribute("data-live") || !window.EventSource) return;
    var source = new EventSource("/inbox/events");
    source.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      refreshAll(data.citizen);
    });
    source.addEventListener("action", function () { refreshAll(); });
    // Clocks in the queue move even when nothing happens.
    setInterval(function () { refreshAll(); }, 60000);
  }

  function canned() {
    var select = document.getElementById("canned");
    if (!select) return;
    select.addEventListener("change", function () {
      var target = document.getElementById(select.getAttribute("data-target"));
      if (target && select.value) {
        target.value = target.value ? target.value + "\n" + select.value : select.value;
        target.focus();
      }
      select.selectedIndex = 0;
    });
  }

  // A page that answers a POST with something shown once (a temporary password) names the page it is:
  // reloading then shows that page again instead of posting the form a second time.
  function settle() {
    var here = document.querySelector("[data-location]");
    if (here && window.history.replaceState) window.history.replaceState(null, "", here.getAttribute("data-location"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    settle();
    localTimes(document);
    var timeline = document.getElementById("timeline");
    if (timeline) timeline.scrollTop = timeline.scrollHeight;
    canned();
    listen();
  });
})();
