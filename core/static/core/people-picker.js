// The people picker (core/widgets/people_picker.html): a WAI-ARIA 1.2 combobox with a listbox
// popup. htmx fetches the listbox as one types; this file does what htmx cannot: the keys
// (arrows, Enter, Escape), the active option, the chosen people as buttons that remove them,
// and what the live region says. Without it, the page keeps the plain list of checkboxes.
(function () {
  "use strict";

  function format(text, name) {
    return text.replace("{name}", name);
  }

  function setup(root) {
    var fallback = root.querySelector("[data-picker-fallback]");
    var combobox = root.querySelector("[data-picker-combobox]");
    var input = root.querySelector("[role=combobox]");
    var results = root.querySelector("[data-picker-results]");
    var chosen = root.querySelector("[data-picker-chosen]");
    var status = root.querySelector("[data-picker-status]");
    var multiple = root.dataset.multiple === "true";
    var name = root.dataset.name;

    fallback.querySelectorAll("input, select").forEach(function (element) {
      element.disabled = true;
    });
    fallback.hidden = true;
    // The field's label and the error summary point at the field's id: now the search field's.
    var owner = fallback.querySelector("[data-picker-takes-id]");
    var id = owner.id;
    owner.removeAttribute("id");
    input.id = id;
    chosen.querySelectorAll("input").forEach(function (element) {
      element.disabled = false;
    });
    combobox.hidden = false;

    function listbox() {
      return results.querySelector("[role=listbox]");
    }
    function options() {
      var box = listbox();
      return box ? Array.prototype.slice.call(box.querySelectorAll("[role=option]")) : [];
    }
    function chosenIds() {
      return Array.prototype.map.call(chosen.querySelectorAll("input"), function (element) {
        return element.value;
      });
    }
    function isOpen() {
      return input.getAttribute("aria-expanded") === "true";
    }
    function open() {
      var box = listbox();
      if (box && options().length) {
        box.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }
    function close() {
      var box = listbox();
      if (box) {
        box.hidden = true;
      }
      input.setAttribute("aria-expanded", "false");
      activate(null);
    }
    function active() {
      var id = input.getAttribute("aria-activedescendant");
      return id ? document.getElementById(id) : null;
    }
    function activate(option) {
      options().forEach(function (each) {
        each.classList.toggle("is-active", each === option);
      });
      if (option) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function move(step) {
      var all = options();
      if (!all.length) {
        return;
      }
      if (!isOpen()) {
        open();
      }
      var index = all.indexOf(active());
      index = index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
      activate(all[index]);
    }
    function markChosen() {
      var ids = chosenIds();
      options().forEach(function (option) {
        option.setAttribute("aria-selected", ids.indexOf(option.dataset.pk) >= 0 ? "true" : "false");
      });
    }

    function chip(pk, label) {
      var item = document.createElement("li");
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.value = pk;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "people-picker-chip";
      button.setAttribute("data-picker-remove", "");
      var spoken = document.createElement("span");
      spoken.className = "sr-only";
      spoken.textContent = format(root.dataset.remove, label);
      var shown = document.createElement("span");
      shown.setAttribute("aria-hidden", "true");
      shown.textContent = label + " ×";
      button.appendChild(spoken);
      button.appendChild(shown);
      item.appendChild(hidden);
      item.appendChild(button);
      return item;
    }

    function choose(option) {
      var pk = option.dataset.pk;
      var label = option.dataset.name;
      if (chosenIds().indexOf(pk) < 0) {
        if (!multiple) {
          chosen.textContent = "";
        }
        chosen.appendChild(chip(pk, label));
      }
      status.textContent = format(root.dataset.added, label);
      input.value = "";
      close();
      input.focus();
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        move(1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(-1);
      } else if (event.key === "Enter") {
        // Enter chooses; it never sends the form from the search field.
        event.preventDefault();
        var option = isOpen() ? active() : null;
        if (option) {
          choose(option);
        }
      } else if (event.key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    results.addEventListener("mousedown", function (event) {
      // Keep the focus in the search field while a person is clicked.
      event.preventDefault();
    });
    results.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(option);
      }
    });

    chosen.addEventListener("click", function (event) {
      var button = event.target.closest("[data-picker-remove]");
      if (!button) {
        return;
      }
      var item = button.closest("li");
      var label = button.querySelector("[aria-hidden]").textContent.replace(/ ×$/, "");
      item.parentNode.removeChild(item);
      status.textContent = format(root.dataset.removed, label);
      markChosen();
      input.focus();
    });

    root.addEventListener("focusout", function (event) {
      if (!root.contains(event.relatedTarget)) {
        close();
      }
    });

    results.addEventListener("htmx:beforeSwap", function (event) {
      // A session that ended answers with the login page: never put a page into the list.
      var text = event.detail.xhr.responseText || "";
      if (text.indexOf('role="listbox"') < 0) {
        event.detail.shouldSwap = false;
      }
    });

    // The list comes again with each letter typed, and a person may arrow down before the last
    // one has come: whoever is active stays so when they are still in the list. After the
    // settle, not the swap: htmx then gives each option the class it came with, which would
    // take the active one's mark away again.
    results.addEventListener("htmx:afterSettle", function () {
      var count = results.querySelector("[data-picker-count]");
      var still = document.getElementById(input.getAttribute("aria-activedescendant") || "");
      markChosen();
      if (options().length && document.activeElement === input) {
        open();
        activate(still && results.contains(still) ? still : null);
      } else {
        close();
      }
      status.textContent = count ? count.textContent.trim() : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-people-picker]").forEach(setup);
  });
})();
