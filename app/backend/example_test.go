package backend_test

import (
	"context"
	"fmt"
	"log"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// The desktop app starts one Backend once it holds the single-instance
// lock, and asks it for everything the window and the tray show. (Not
// run as a test: it would use this machine's MCP Conductor home.)
func Example() {
	ctx := context.Background()
	b := backend.Start(ctx, backend.Options{Version: "1.0.0"})
	defer b.Close()

	if st := b.EngineStatus(); !st.Running {
		// Without Deno the rest waits; InstallDeno would start the engine.
		fmt.Println("the engine is not running:", st.Error)
		return
	}
	fmt.Println("MCP clients connect to", b.EndpointStatus(ctx).URL)

	run, err := b.StartRun(ctx, backend.RunRequest{Code: "6 * 7"})
	if err != nil {
		log.Fatal(err)
	}
	res, err := run.Wait()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.ReturnValue)

	recent, err := b.Activity(backend.ActivityQuery{Limit: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("recorded as", recent[0].Client)
}
