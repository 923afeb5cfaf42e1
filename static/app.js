// Icebreaker: live updates for the board and the phones. Pages work
// without this file (they reload themselves); with it they update in place
// from the server's event stream, count down every second from the
// server's clock, page through a large board and keep phones awake.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var skew = 0; // server clock minus this device's clock, in ms
  var version = -1;
  // The board's page up: the one the server rendered (?page=), then on.
  var first = document.querySelector(".board .page[data-page]:not([hidden])");
  var page = first ? Number(first.getAttribute("data-page")) || 1 : 1;

  function serverNow() { return Date.now() + skew; }

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  // At zero the clock says what happens next: with auto-rotate
  // (data-then-at) the change-over counts down to the next round; without,
  // the organizer starts it (src/views/mod.rs has the same words).
  var TIMES_UP = "Time's up \u2014 the next round starts when the organizer starts it";
  function nextRound(at, now) {
    var left = at - now;
    return left > 0 ? "Next round in " + clock(left) : "Next round starting\u2026";
  }

  function tick() {
    var now = serverNow();
    var i, el, left, then;
    var ends = document.querySelectorAll("[data-ends-at]");
    for (i = 0; i < ends.length; i++) {
      el = ends[i];
      left = Number(el.getAttribute("data-ends-at")) - now;
      if (left > 0) {
        el.textContent = clock(left) + " left";
        el.classList.toggle("last-minute", left <= 60000);
        el.classList.remove("over");
      } else {
        then = el.getAttribute("data-then-at");
        el.textContent = then ? nextRound(Number(then), now) : TIMES_UP;
        el.classList.remove("last-minute");
        el.classList.add("over");
      }
    }
    var next = document.querySelectorAll("[data-next-at]");
    for (i = 0; i < next.length; i++) {
      next[i].textContent = nextRound(Number(next[i].getAttribute("data-next-at")), now);
    }
  }

  // The board's pages (tables and the index taking turns): one up at a
  // time, every data-page-seconds.
  function showPage() {
    var wrap = document.querySelector(".board-wrap");
    if (!wrap) return;
    var pages = Number(wrap.getAttribute("data-pages")) || 1;
    if (page > pages) page = 1;
    var all = wrap.querySelectorAll(".page[data-page]");
    for (var i = 0; i < all.length; i++) {
      all[i].hidden = Number(all[i].getAttribute("data-page")) !== page;
    }
    var no = wrap.querySelector(".page-no");
    if (no) no.textContent = String(page);
    fitBoard();
  }

  // Names still too wide for their card or column (the server sized the
  // grid and scaled the names it could tell were long): each gets the
  // largest size that fits on one line, down to 60%. A name that would
  // shrink a lot but can break ("Marie-Christine", "Nguyễn Văn An") rather
  // wraps onto two lines at 85%, while its card has the room. Then a card
  // or page still too tall is scaled down as a whole.
  function fitNames(root, oneLineOnly) {
    var items = root.querySelectorAll(".fit");
    var i, el, base = [], natural = [], wrapped = [];
    for (i = 0; i < items.length; i++) {
      items[i].style.fontSize = "";
      items[i].style.whiteSpace = "nowrap";
      items[i].removeAttribute("data-one-line");
    }
    for (i = 0; i < items.length; i++) {
      el = items[i];
      var parent = parseFloat(getComputedStyle(el.parentNode).fontSize);
      base.push(el.classList.contains("no") ? parent * 0.9 : parent);
      var own = parseFloat(getComputedStyle(el).fontSize);
      natural.push(el.clientWidth > 0 ? (el.scrollWidth / el.clientWidth) * (base[i] / own) : 1);
    }
    for (i = 0; i < items.length; i++) {
      // A little under the exact fit when shrinking: text widths round.
      var scale = natural[i] > 1 ? Math.max(0.6, 0.98 / natural[i]) : 1;
      var oneLine = Math.floor(base[i] * scale * 10) / 10 + "px";
      items[i].style.whiteSpace = "";
      if (!oneLineOnly && scale < 0.8 && breaks(items[i].textContent)) {
        items[i].style.fontSize = Math.floor(base[i] * 8.5) / 10 + "px";
        items[i].setAttribute("data-one-line", oneLine);
        wrapped.push(items[i]);
      } else {
        items[i].style.fontSize = oneLine;
      }
    }
    for (i = 0; i < wrapped.length; i++) {
      el = wrapped[i];
      if (el.scrollWidth > el.clientWidth + 1) unwrap(el);
    }
  }
  // Whether a name breaks into parts of three letters or more (not
  // "Parker / S.").
  function breaks(text) {
    var parts = text.trim().split(/[\s\-]+/);
    if (parts.length < 2) return false;
    for (var i = 0; i < parts.length; i++) if (parts[i].length < 3) return false;
    return true;
  }
  function unwrap(el) {
    el.style.fontSize = el.getAttribute("data-one-line");
    el.removeAttribute("data-one-line");
  }
  function fitBoxes(boxes) {
    var shrunk = [];
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollHeight <= box.clientHeight + 1) continue;
      var wrapped = box.querySelectorAll("[data-one-line]");
      for (var k = 0; k < wrapped.length; k++) unwrap(wrapped[k]);
      if (box.scrollHeight > box.clientHeight + 1) {
        var size = parseFloat(getComputedStyle(box).fontSize);
        var scale = Math.max(0.6, box.clientHeight / box.scrollHeight);
        box.style.fontSize = Math.floor(size * scale * 10) / 10 + "px";
        shrunk.push(box);
      }
    }
    for (var j = 0; j < shrunk.length; j++) fitNames(shrunk[j], true);
  }
  function fitBoard() {
    var shown = document.querySelector(".board .page:not([hidden])");
    if (!shown) return;
    var boxes = shown.classList.contains("index-page") ? [shown] : shown.querySelectorAll(".table-card");
    for (var i = 0; i < boxes.length; i++) boxes[i].style.fontSize = "";
    fitNames(shown);
    fitBoxes(boxes);
  }
  window.addEventListener("resize", fitBoard);
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(fitBoard);
    document.fonts.addEventListener("loadingdone", fitBoard);
  }

  // The board's weirdest facts: one at a time, a new one every 8 s.
  var fact = 0;
  function showFact() {
    var facts = document.querySelectorAll(".facts .fact");
    if (!facts.length) return;
    fact = fact % facts.length;
    for (var i = 0; i < facts.length; i++) facts[i].hidden = i !== fact;
  }

  // Screen readers hear the new table from a live region outside the part
  // that is replaced ("You're at table 5 with Rosa, Sam and Li.").
  function announceTable() {
    var region = document.getElementById("announce");
    var state = live.querySelector(".state");
    var text = state && state.getAttribute("data-announce");
    if (region && text) region.textContent = text;
  }

  function tableOf(root) {
    var state = root.querySelector(".state");
    return state ? state.getAttribute("data-table") : null;
  }

  function newTable() {
    announceTable();
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

// The join and edit forms: suggestion chips that add an interest to the
// field, and a live character counter under the long fields. Without this
// file the suggestions are plain text and the server checks the lengths.
(function () {
  "use strict";

  function items(field) {
    return field.value.split(/[,\n]/).map(function (s) { return s.trim(); })
      .filter(function (s) { return s !== ""; });
  }

  function has(list, interest) {
    var key = interest.toLowerCase();
    return list.some(function (s) { return s.toLowerCase() === key; });
  }

  var lists = document.querySelectorAll(".suggestions[data-for]");
  Array.prototype.forEach.call(lists, function (list) {
    var field = document.getElementById(list.getAttribute("data-for"));
    if (!field) return;
    var label = list.querySelector(".suggestions-label");
    if (label) label.textContent = "Others here mentioned (tap to add): ";
    var buttons = [];
    function refresh() {
      var now = items(field);
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", has(now, b.getAttribute("data-interest")) ? "true" : "false");
      });
    }
    var chips = list.querySelectorAll(".suggestion[data-interest]");
    Array.prototype.forEach.call(chips, function (chip) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tag suggestion";
      button.setAttribute("data-interest", chip.getAttribute("data-interest"));
      button.textContent = chip.textContent;
      button.addEventListener("click", function () {
        var interest = button.getAttribute("data-interest");
        var now = items(field);
        if (has(now, interest)) {
          now = now.filter(function (s) { return s.toLowerCase() !== interest.toLowerCase(); });
        } else {
          now.push(interest);
        }
        field.value = now.join(", ");
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      chip.parentNode.replaceChild(button, chip);
      buttons.push(button);
    });
    field.addEventListener("input", refresh);
    refresh();
  });

  var limited = document.querySelectorAll("input[data-max], textarea[data-max]");
  Array.prototype.forEach.call(limited, function (field) {
    var max = Number(field.getAttribute("data-max"));
    if (!max || !field.id) return;
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.id = field.id + "-count";
    var holder = field.parentNode;
    var error = holder.querySelector(".field-error");
    holder.insertBefore(counter, error || null);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      // Characters as the server counts them: code points, ends trimmed.
      var left = max - Array.from(field.value.trim()).length;
      counter.classList.toggle("over", left < 0);
      if (left >= 0) {
        counter.textContent = left + (left === 1 ? " character left" : " characters left");
      } else {
        counter.textContent = -left + (left === -1 ? " character too many" : " characters too many");
      }
    }
    field.addEventListener("input", update);
    update();
  });
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
