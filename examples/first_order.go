// Place an order and accept it with Go's net/http.
// Run against `mockwhmcs serve`:  go run examples/first_order.go
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
)

func whmcs(endpoint string, params url.Values) (map[string]any, error) {
	params.Set("identifier", "mockwhmcs-identifier")
	params.Set("secret", "mockwhmcs-secret")
	params.Set("responsetype", "json")
	response, err := http.PostForm(endpoint, params)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	var answer map[string]any
	err = json.NewDecoder(response.Body).Decode(&answer)
	return answer, err
}

func main() {
	endpoint := os.Getenv("MOCKWHMCS_URL")
	if endpoint == "" {
		endpoint = "http://127.0.0.1:8080/includes/api.php"
	}
	order, err := whmcs(endpoint, url.Values{
		"action":          {"AddOrder"},
		"clientid":        {"1"},
		"pid[0]":          {"1"},
		"billingcycle[0]": {"monthly"},
		"paymentmethod":   {"mailin"},
	})
	if err != nil {
		fmt.Println("AddOrder failed:", err)
		os.Exit(1)
	}
	// JSON numbers decode as float64: ids are integers in WHMCS's JSON.
	orderID := fmt.Sprint(order["orderid"])
	fmt.Printf("AddOrder: %v orderid=%s invoiceid=%v\n", order["result"], orderID, order["invoiceid"])
	accept, err := whmcs(endpoint, url.Values{"action": {"AcceptOrder"}, "orderid": {orderID}})
	if err != nil {
		fmt.Println("AcceptOrder failed:", err)
		os.Exit(1)
	}
	fmt.Printf("AcceptOrder: %v\n", accept["result"])
}
