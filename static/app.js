// Icebreaker: live updates for the board and the phones. Pages work
// without this file (they reload themselves); with it they update in place
// from the server's event stream, count down every second from the
// server's clock, page through a large board and keep phones awake.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var skew = 0; // server clock minus this device's clock, in ms
  var version = -1;
  var page = 1;

  function serverNow() { return Date.now() + skew; }

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var now = serverNow();
    var i, el, left;
    var ends = document.querySelectorAll("[data-ends-at]");
    for (i = 0; i < ends.length; i++) {
      el = ends[i];
      left = Number(el.getAttribute("data-ends-at")) - now;
      if (left > 0) {
        el.textContent = clock(left) + " left";
        el.classList.toggle("last-minute", left <= 60000);
        el.classList.remove("over");
      } else {
        el.textContent = "Time's up \u2014 find your next table";
        el.classList.remove("last-minute");
        el.classList.add("over");
      }
    }
    var next = document.querySelectorAll("[data-next-at]");
    for (i = 0; i < next.length; i++) {
      left = Number(next[i].getAttribute("data-next-at")) - now;
      next[i].textContent = left > 0 ? "next round in " + clock(left) : "next round starting\u2026";
    }
  }

  function showPage() {
    var wrap = document.querySelector(".board-wrap");
    if (!wrap) return;
    var pages = Number(wrap.getAttribute("data-pages")) || 1;
    if (page > pages) page = 1;
    var cards = wrap.querySelectorAll(".table-card[data-page]");
    for (var i = 0; i < cards.length; i++) {
      cards[i].hidden = Number(cards[i].getAttribute("data-page")) !== page;
    }
    var no = wrap.querySelector(".page-no");
    if (no) no.textContent = String(page);
  }

  // The board's weirdest facts: one at a time, a new one every 8 s.
  var fact = 0;
  function showFact() {
    var facts = document.querySelectorAll(".facts .fact");
    if (!facts.length) return;
    fact = fact % facts.length;
    for (var i = 0; i < facts.length; i++) facts[i].hidden = i !== fact;
  }

  function tableOf(root) {
    var state = root.querySelector(".state");
    return state ? state.getAttribute("data-table") : null;
  }

  function newTable() {
    live.classList.remove("flash");
    void live.offsetWidth; // restart the animation
    live.classList.add("flash");
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  function connected(ok) {
    var marks = document.querySelectorAll(".conn");
    for (var i = 0; i < marks.length; i++) marks[i].hidden = ok;
  }

  var wakeLock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (lock) { wakeLock = lock; }, function () {});
  }

  if (live && live.getAttribute("data-live") && window.EventSource) {
    var source = new EventSource(live.getAttribute("data-live"));
    source.addEventListener("state", function (e) {
      var state = JSON.parse(e.data);
      skew = state.now - Date.now();
      connected(true);
      if (state.v < version) return;
      version = state.v;
      var before = tableOf(live);
      live.innerHTML = state.html;
      var after = tableOf(live);
      if (after && after !== before) newTable();
      showPage();
      showFact();
      tick();
    });
    source.addEventListener("restarting", function () {
      var marks = document.querySelectorAll(".conn");
      for (var i = 0; i < marks.length; i++) marks[i].textContent = " · server restarting…";
      connected(false);
    });
    source.addEventListener("open", function () { connected(true); });
    source.addEventListener("error", function () { connected(false); });
    var phone = !document.body.classList.contains("board") && !document.body.classList.contains("host");
    if (phone) {
      keepAwake();
      document.addEventListener("visibilitychange", function () {
        if (!wakeLock || wakeLock.released) keepAwake();
      });
    }
  }

  var seconds = live ? Number(live.getAttribute("data-page-seconds")) : 0;
  if (seconds > 0) {
    setInterval(function () { page += 1; showPage(); }, seconds * 1000);
  }
  setInterval(function () { fact += 1; showFact(); }, 8000);
  showPage();
  showFact();
  tick();
  setInterval(tick, 500);
})();

// The organizer's console: asks before a removal or before cutting a
// round short (the server asks too, for browsers without this file), and
// keeps the shown page of people live from its own stream; the search box
// fetches matching people from the server as one types.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form && form.getAttribute ? form.getAttribute("data-confirm") : null;
    if (!question) return;
    if (!window.confirm(question)) {
      e.preventDefault();
      return;
    }
    if (!form.querySelector('input[name="confirm"]')) {
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirm";
      yes.value = "yes";
      form.appendChild(yes);
    }
  });

  var people = document.getElementById("people-live");
  if (!people || !window.EventSource) return;
  var base = people.getAttribute("data-live-people");
  var source = null;
  var version = -1;
  function connect(url) {
    if (source) source.close();
    version = -1;
    source = new EventSource(url);
    source.addEventListener("state", function (e) {
      var state = JSON.parse(e.data);
      if (state.v < version) return;
      version = state.v;
      people.innerHTML = state.html;
    });
  }
  connect(base);
  var search = document.getElementById("q");
  var typing = null;
  if (search) {
    search.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        var q = search.value.trim();
        var query = q ? "?q=" + encodeURIComponent(q) : "";
        connect(base.split("?")[0] + query);
        if (window.history && history.replaceState) {
          history.replaceState(null, "", location.pathname + query + "#people");
        }
      }, 250);
    });
  }
})();
