package tray

import (
	"strings"
)

// Action is what a menu item does when clicked; "" means nothing.
type Action string

// The actions of the menu.
const (
	ActOpen          Action = "open"
	ActCopyURL       Action = "copy-url"
	ActOpenClients   Action = "open-clients"
	ActOpenWorkspace Action = "open-workspace"
	ActOpenLogs      Action = "open-logs"
	ActAutostart     Action = "autostart"
	ActQuit          Action = "quit"
	// ActRegister, ActRepair and ActUnregister act on the client named by
	// the item's Client.
	ActRegister   Action = "register"
	ActRepair     Action = "repair"
	ActUnregister Action = "unregister"
)

// Item is one menu entry. Separator items have no other field set.
type Item struct {
	Title     string
	Tooltip   string
	Action    Action
	Disabled  bool
	Checkable bool
	Checked   bool
	Separator bool
	Children  []Item
	// Client is the ID of the AI client a client action applies to.
	Client string
}

// The fixed titles, shared with the tests that drive the menu over D-Bus.
const (
	TitleOpen          = "Open MCP Conductor"
	TitleCopyURL       = "Copy URL"
	TitleClients       = "Clients"
	TitleOpenWorkspace = "Open workspace folder"
	TitleOpenLogs      = "Open logs"
	TitleAutostart     = "Start on login"
	TitleQuit          = "Quit"

	// The actions in each client's submenu.
	TitleRegister    = "Register"
	TitleTurnOn      = "Turn on"
	TitleRepair      = "Repair"
	TitleUnregister  = "Remove"
	TitleClientsPage = "Open Clients page"
)

// maxClientTitle keeps long client names from widening the menu.
const maxClientTitle = 60

// Menu builds the whole menu for s.
func Menu(s State) []Item {
	sep := Item{Separator: true}
	items := []Item{
		{Title: s.StatusLine(), Disabled: true},
		{Title: TitleOpen, Action: ActOpen},
		sep,
		endpointItem(s),
		{Title: TitleCopyURL, Action: ActCopyURL, Disabled: s.EndpointURL() == "",
			Tooltip: "Copy the local MCP endpoint's URL to the clipboard"},
		{Title: TitleClients, Children: clientItems(s)},
		sep,
		{Title: TitleOpenWorkspace, Action: ActOpenWorkspace},
		{Title: TitleOpenLogs, Action: ActOpenLogs},
		{Title: TitleAutostart, Action: ActAutostart, Checkable: true, Checked: s.Autostart,
			Disabled: !s.AutostartSupported},
		sep,
		{Title: TitleQuit, Action: ActQuit},
	}
	return items
}

func endpointItem(s State) Item {
	title := "Local endpoint: "
	switch e := s.Endpoint; {
	case e == nil:
		title += "not available yet"
	case e.Running && e.URL != "":
		title += e.URL
	case e.Detail != "":
		title += "stopped (" + e.Detail + ")"
	default:
		title += "stopped"
	}
	return Item{Title: title, Disabled: true}
}

func truncate(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxClientTitle {
		return string(r[:maxClientTitle-1]) + "…"
	}
	return s
}
