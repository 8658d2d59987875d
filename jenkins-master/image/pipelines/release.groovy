// The release of one app (the seed, jobs/apps.groovy, puts the app's folder and image in for the placeholders
// below): the only pipeline that may push to the registry. It comes from this repository (the master's image),
// not from the app's branches, and runs in the folder `releases`, the only place the push credential
// `registry-push` exists. GIT_REF must be develop, master or a release tag X.Y.Z (vX.Y.Z); it is checked out
// from the repository by that name, so no other code is released.
pipeline {
    // A release agent: on the platform network, where registry:5000 is the registry itself.
    agent { label 'release' }
    parameters {
        string(name: 'GIT_REF', defaultValue: '', description: 'develop, master or a release tag X.Y.Z')
    }
    options {
        skipDefaultCheckout()
        disableConcurrentBuilds()
        timeout(time: 30, unit: 'MINUTES')
    }
    stages {
        stage('checkout') {
            steps {
                script {
                    if (!(params.GIT_REF ==~ /develop|master|v?[0-9]+\.[0-9]+\.[0-9]+/)) {
                        error("GIT_REF '${params.GIT_REF}' is neither develop, master nor a release tag X.Y.Z: nothing is released")
                    }
                    env.RELEASE_TAG = params.GIT_REF ==~ /develop|master/ ? '' : params.GIT_REF
                    String ref = env.RELEASE_TAG ? "refs/tags/${params.GIT_REF}" : "refs/remotes/origin/${params.GIT_REF}"
                    checkout scmGit(branches: [[name: ref]], userRemoteConfigs: [[url: env.APP_REPOSITORY_URL,
                            credentialsId: 'gitlab-checkout',
                            refspec: '+refs/heads/develop:refs/remotes/origin/develop +refs/heads/master:refs/remotes/origin/master +refs/tags/*:refs/tags/*']])
                }
            }
        }
        stage('test, build, push') {
            environment {
                BRANCH_NAME = "${params.GIT_REF}"
                IMAGE_NAME = '@APP_IMAGE@'
                TAG_NAME = "${env.RELEASE_TAG}"
            }
            steps {
                withCredentials([usernamePassword(credentialsId: 'registry-push',
                        usernameVariable: 'REGISTRY_USER', passwordVariable: 'REGISTRY_PASSWORD')]) {
                    sh '@APP_CODE@/ci/test'
                    sh '@APP_CODE@/ci/build'
                    sh '@APP_CODE@/ci/push'
                }
            }
        }
    }
}
