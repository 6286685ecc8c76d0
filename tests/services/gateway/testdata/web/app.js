document.title = "vagt";
