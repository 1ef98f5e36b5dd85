Feature: Each scenario's browser is as new, though it is kept

  Scenario: Everything a page can hold is left behind
    Given a scenario that leaves things behind
    When it fetches a number the browser keeps in its cache
    And it leaves cookies and storage of every kind behind
    And it leaves routes, a popup, a smaller window and its history behind
    And it leaves permissions, a location, extra headers and offline mode behind
    And its last page writes to its storage as it is left

  Scenario: None of it is seen by the next scenario
    Then its browser is the last scenario's, with the same page
    And its page shows nothing and has no history
    And no other page is open and the window has its usual size
    And no browser holds a cookie
    And no storage of any kind is left
    And no route is left
    And the browser is online, with no permission, location or extra header left
    And the number is fetched anew

  Scenario: A request is held on its way to the site as the scenario ends
    Given a scenario that leaves things behind
    When it leaves a request on its way to the site, held by a route

  Scenario: The held request never reaches the site
    Then its browser is the last scenario's, with the same page
    And the request the last scenario held never reached the site

  Scenario: A second browser of the scenario keeps a cookie
    Given a scenario that leaves things behind
    When it opens a second browser that keeps a cookie

  Scenario: The next scenario's browsers hold no cookie
    Then its browser is the last scenario's, with the same page
    And no browser holds a cookie

  Scenario: A listener is left on the page
    Given a scenario that leaves things behind
    When it leaves cookies and storage of every kind behind
    And it leaves a listener on its page that accepts every dialog

  Scenario: The next scenario gets a new page, and none of it
    Then its browser is the last scenario's, with a new page
    And its page shows nothing and has no history
    And no browser holds a cookie
    And no storage of any kind is left
    And a dialog is dismissed

  Scenario: A listener and a function are left on the browser context
    Given a scenario that leaves things behind
    When it leaves cookies and storage of every kind behind
    And it leaves a listener on its browser context and a function exposed to its pages

  Scenario: The next scenario gets a new browser, and none of it
    Then its browser is a new one
    And no browser holds a cookie
    And no storage of any kind is left
    And no listener or function of the last scenario is left

  Scenario: A page's address holds a password, which the browser remembers
    Given a scenario that leaves things behind
    When it signs in to the members' page with the password in the address

  Scenario: The next scenario gets a new browser that asks who they are
    Then its browser is a new one
    And the members' page asks who they are

  Scenario: A scenario closes its own page
    Given a scenario that leaves things behind
    When it leaves cookies and storage of every kind behind
    And it closes its own page

  Scenario: The next scenario gets a new browser with a page
    Then its browser is a new one
    And its page shows nothing and has no history
    And no browser holds a cookie
    And no storage of any kind is left
